//! Measures what `planc serve` and `validate --watch` do after a save in a
//! large repository: one plan file is rewritten (same text, new
//! modification time), and the session compiles again, reusing every other
//! plan. Prints the first compilation's time and the recheck's.
//!
//!   cargo run --release --example recheck -- bench/data/repo-1800/plans

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let plans = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "plans".into()));
    let as_of = jiff::civil::Date::constant(2010, 1, 1);
    let mut session = planc::compile::Session::new(vec![plans.clone()], as_of);
    let started = Instant::now();
    let first = session.compile().expect("the plans compile");
    let full = started.elapsed();
    let edited = first
        .plans
        .get(first.plans.len() / 2)
        .and_then(|p| p.plan.files.first())
        .map(|f| first.sources.get(*f).path.clone())
        .expect("a plan file");
    drop(first);
    let mut times = Vec::new();
    for _ in 0..5 {
        let text = std::fs::read(&edited).expect("the plan file reads");
        std::thread::sleep(std::time::Duration::from_millis(10));
        std::fs::write(&edited, text).expect("the plan file writes");
        let started = Instant::now();
        let again = session.compile().expect("the plans compile");
        times.push(started.elapsed());
        assert_eq!(session.recompiled, 1, "one plan recompiled");
        drop(again);
    }
    times.sort();
    println!(
        "first compilation {:.0} ms; one edited plan ({}) rechecked in {:.1} ms (median of 5, min {:.1} ms)",
        full.as_secs_f64() * 1e3,
        edited.display(),
        times[2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
}
