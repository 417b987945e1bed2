//! Renderers: each turns checked files into one output format. None of them decides anything.

pub mod canvas;
pub mod human;
