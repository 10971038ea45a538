mod codes;
mod date;
mod decode;
mod model;
mod suggest;
mod money;
mod diagnostic;
mod load;
mod source;
fn main() {}
