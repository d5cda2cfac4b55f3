//! lunad as a library: the art engine and rasteriser today; store, IPC and HTTP servers follow.

pub mod art;
pub mod raster;
