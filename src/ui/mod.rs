//! The page: one state reducer and small components fed plain data.

mod app;
mod callbacks;
mod canvas;
mod claim;
mod commands;
mod compare;
mod controls;
mod dark_knowledge;
mod decision_map;
mod digit_gallery;
mod disagreement_map;
mod download;
mod draw_pad;
mod engine;
mod explainer;
mod exports;
mod figures;
mod header;
mod hooks;
mod labs;
mod line_chart;
mod mounting;
mod offline;
mod palette;
mod per_class;
mod point_tools;
mod resources;
mod share;
mod shortcuts;
mod text;
mod theme;
mod tour;
mod worker;

pub use app::App;
