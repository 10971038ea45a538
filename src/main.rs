mod codes;
mod diagnostic;
mod load;
mod source;
fn main() {}
