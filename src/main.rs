//! The `driftwatch` binary: parse the command line, run the library, exit with its code.

fn main() -> std::process::ExitCode {
    let cli = <driftwatch::cli::Cli as clap::Parser>::parse();
    std::process::ExitCode::from(driftwatch::run(cli))
}
