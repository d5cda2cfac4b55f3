//! `luna`: the command line.
fn main() {
    println!("luna {}", env!("CARGO_PKG_VERSION"));
}
