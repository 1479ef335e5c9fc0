// The Fluent files are embedded by `include_str!` per file found at build time: a file added
// later is not among them, so any change under locales/ rebuilds the crate.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
