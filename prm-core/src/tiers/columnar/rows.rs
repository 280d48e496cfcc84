//! The row loop of a chunk: blocks of rows small enough that their columns and masks stay in
//! cache, each block's masks, then each row's transition and gaps written to the sink.

use super::block::{BlockGaps, TableBlock};
use super::masks::{Chunk, Plan};
use super::prepare::prepare;
use super::{MetricColumn, RowStatus, TableSink};
use crate::tiers::model::Change;
use crate::tiers::{Previous, TierProgram};

/// Rows evaluated together: their prepared columns and masks (~20 of them) fit in L2.
const BLOCK: usize = 4_096;

impl TierProgram {
    /// Evaluates `n` rows into `sink` (see [`TierProgram::evaluate_table_with`]).
    pub(super) fn table_rows(
        &self,
        plan: &Plan<'_>,
        columns: &[MetricColumn<'_>],
        previous: Option<&[Option<Previous<'_>>]>,
        n: usize,
        sink: &mut impl TableSink,
    ) {
        let mut errors = Vec::new();
        let grace = self.spec.grace_periods;
        // the last previous tier looked up, for runs of equal names
        let mut last: Option<(&str, Option<usize>)> = None;
        let mut gaps = BlockGaps::default();
        let mut statuses = Vec::with_capacity(BLOCK.min(n));
        for start in (0..n).step_by(BLOCK) {
            let r = start..(start + BLOCK).min(n);
            let from = errors.len();
            let cols: Vec<_> = columns
                .iter()
                .zip(&self.compiled.metrics)
                .map(|(c, name)| prepare(c.slice(r.clone()), name, &mut errors))
                .collect();
            errors[from..].iter_mut().for_each(|(row, _)| *row += start);
            crate::sort::by_key(&mut errors[from..], |(row, _)| *row);
            let chunk = Chunk::new(plan, cols, r.len());
            let bad: Vec<usize> = errors[from..].iter().map(|(row, _)| *row).collect();
            let mut bad = bad.into_iter().peekable();
            let qualified = qualified(plan, &chunk, r.len());
            statuses.clear();
            if previous.is_none() && bad.len() == 0 {
                // every row a first evaluation: its tier is the one it qualifies for
                statuses.extend(qualified.iter().map(|&q| {
                    let q = q.checked_sub(1);
                    Some(RowStatus {
                        tier: q,
                        qualified_tier: q,
                        change: Change::New,
                        failures: 0,
                        probation_remaining: None,
                    })
                }));
                gaps.fill(&chunk, &statuses);
                sink.block(&TableBlock::new(&chunk, &statuses, &gaps));
                continue;
            }
            for (i, &q) in qualified.iter().enumerate() {
                let q = q.checked_sub(1);
                let row = start + i;
                let mut failed = false;
                while bad.next_if(|&b| b <= row).is_some() {
                    failed = true;
                }
                let prev = previous.and_then(|p| p[row]);
                let q_pos = q.map(usize::from);
                let transition = match prev {
                    _ if failed => None,
                    None => Some((q_pos, Change::New, 0, None)),
                    Some(prev) => {
                        let p = match (prev.tier, last) {
                            (None, _) => Ok(None),
                            (Some(t), Some((l, pos))) if l == t => Ok(pos),
                            (Some(t), _) => self.position(Some(t), "previous.tier").inspect(|pos| {
                                last = Some((t, *pos));
                            }),
                        };
                        match p {
                            Err(e) => {
                                errors.push((row, e));
                                None
                            }
                            Ok(p) => Some(crate::tiers::transition(q_pos, p, prev.failures, grace)),
                        }
                    }
                };
                statuses.push(transition.map(|(tier, change, failures, remaining)| RowStatus {
                    tier: tier.map(key),
                    qualified_tier: q,
                    change,
                    failures,
                    probation_remaining: remaining,
                }));
            }
            gaps.fill(&chunk, &statuses);
            sink.block(&TableBlock::new(&chunk, &statuses, &gaps));
        }
        crate::sort::by_key(&mut errors, |(row, _)| *row);
        sink.errors(errors);
    }
}

/// A tier's position as a row status holds it (a program has at most `MAX_TIERS`, 1,000).
fn key(t: usize) -> u16 {
    u16::try_from(t).unwrap_or(u16::MAX)
}

/// Per row: one more than the position of the highest tier whose requirements hold (0: none).
fn qualified(plan: &Plan<'_>, chunk: &Chunk<'_, '_>, n: usize) -> Vec<u16> {
    let mut qualified: Vec<u16> = vec![0; n];
    for (t, root) in plan.roots.iter().enumerate() {
        let t = key(t).saturating_add(1);
        match root {
            None => qualified.iter_mut().for_each(|q| *q = t),
            // (a select, so the loop vectorises)
            Some(id) => qualified
                .iter_mut()
                .zip(&chunk.holds[*id])
                .for_each(|(q, &h)| *q = if h { t } else { *q }),
        }
    }
    qualified
}
