//! The `driftwatch` binary: parse the command line, run the library, exit with its code.

/// mimalloc instead of the system allocator: a large state is parsed on one thread while
/// another maps, normalizes and frees what was parsed, and glibc's malloc takes the parsing
/// thread's arena lock for each of those frees (`check --state` of 50,000 queues: 1.7 s with
/// glibc, 1.1 s with mimalloc, measured side by side; see README, Performance).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = <driftwatch::cli::Cli as clap::Parser>::parse();
    std::process::ExitCode::from(driftwatch::run(cli))
}
