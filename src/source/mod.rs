//! Sources: where inventories come from. With `aws/`, the modules that read the outside world;
//! files are written through [`crate::atomic`].

pub mod golden;
pub mod live;
pub mod terraform;
