//! Times as the people reading them live them: Swedish local time (see `stegvis_app::local`).

pub use stegvis_app::local::swedish_time as stockholm;
