//! Helpers shared by the integration tests.

pub mod image_builder;
