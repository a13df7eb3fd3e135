//! `driftwatch completions`: a shell completion script on stdout.

use crate::cli::Cli;
use crate::error::Result;
use crate::exit;
use crate::out;

pub(crate) fn execute(shell: clap_complete::Shell) -> Result<u8> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    // Into memory first: clap_complete panics when its writer fails (`| head`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "driftwatch", &mut script);
    out::print(&String::from_utf8_lossy(&script))?;
    Ok(exit::IN_SYNC)
}
