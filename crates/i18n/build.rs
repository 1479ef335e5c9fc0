// The Fluent files are built into the binary by a macro: rebuild when any of them changes
// (or a new one is added), which cargo does not see by itself.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
