//! Sources: where inventories come from. The only modules besides `fetch/` that do I/O.

pub mod golden;
pub mod live;
pub mod terraform;
