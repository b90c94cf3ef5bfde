#![no_main]
//! Fuzz target `data_csv`: see fuzz/harness/mod.rs for what one input runs through.

use libfuzzer_sys::fuzz_target;

#[path = "../harness/mod.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::data_csv(data));
