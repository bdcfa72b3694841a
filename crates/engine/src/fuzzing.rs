//! Internals the fuzz targets reach directly, behind the `fuzzing` feature: each
//! a thin wrapper over one crate-private function. Not part of the engine's API.
