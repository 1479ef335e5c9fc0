//! `cargo bench -p stegvis-demo --bench matching`: how many participant × opening scores a
//! second the matcher computes, ranking 1,000 participants against 10,000 and 100,000 openings
//! (deterministic synthetic data). A benchmark, not a test: it prints, it never fails.

use std::time::Instant;
use stegvis_domain::matching::{Candidate, Opening, rank};

/// A small deterministic generator (SplitMix64).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

const CODES: &[&str] = &[
    "5222", "5223", "5230", "4322", "6112", "6113", "9111", "9412", "5120", "8332", "5321", "7411",
];
const MUNIS: &[&str] = &[
    "1293", "1290", "1280", "1283", "0180", "2380", "1214", "1282",
];

fn main() {
    let mut g = Gen(2026);
    let candidates: Vec<Candidate> = (0..1_000)
        .map(|_| Candidate {
            wanted: vec![g.pick(CODES).into()],
            experience: vec![g.pick(CODES).into(), g.pick(CODES).into()],
            hours_per_week: Some(10 + (g.next() % 31) as u32),
            municipality: Some(g.pick(MUNIS).into()),
            can_travel: g.next().is_multiple_of(2),
            ..Candidate::default()
        })
        .collect();
    for n in [10_000usize, 100_000] {
        let openings: Vec<Opening> = (0..n)
            .map(|_| Opening {
                ssyk: Some(g.pick(CODES).into()),
                hours_per_week: Some(8 + (g.next() % 33) as u32),
                municipality: Some(g.pick(MUNIS).into()),
                ..Opening::default()
            })
            .collect();
        let start = Instant::now();
        let mut best = 0u64;
        for c in &candidates {
            let top = rank(c, &openings, 10);
            best += top.first().map_or(0, |(_, s)| u64::from(s.points));
        }
        let secs = start.elapsed().as_secs_f64();
        let pairs = (candidates.len() * n) as f64;
        println!(
            "matching: {} participants × {n} openings = {pairs:.0} scores in {secs:.2} s: {:.1} million scores/s (checksum {best})",
            candidates.len(),
            pairs / secs / 1e6
        );
    }
}
