//! Sources: where inventories come from. With `aws/`, the modules that read the outside world;
//! files are written through [`crate::atomic`].

pub(crate) mod golden;
pub(crate) mod live;
pub(crate) mod terraform;
