pub mod node;
pub mod toml;
pub mod yaml;
