//! Opt-in data parallelism for batch functions: scoped threads over contiguous chunks, results
//! in input order (so output never depends on the thread count).

/// The number of threads a request for `threads` means (0 = all cores; 1 on wasm).
pub(crate) fn threads(threads: usize) -> usize {
    if cfg!(target_family = "wasm") {
        return 1;
    }
    match threads {
        0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        t => t,
    }
}

/// `f(0..n)` in order, on up to `threads` threads (0 = all cores); chunks smaller than
/// `min_chunk` items are not worth a thread.
pub(crate) fn map<T: Send>(
    n: usize,
    threads: usize,
    min_chunk: usize,
    f: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let threads = self::threads(threads).min(n.div_ceil(min_chunk.max(1)).max(1));
    if threads <= 1 || cfg!(target_family = "wasm") {
        return (0..n).map(f).collect();
    }
    let chunk = n.div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                let f = &f;
                scope.spawn(move || (start..(start + chunk).min(n)).map(f).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn order_does_not_depend_on_threads() {
        let one = super::map(10_000, 1, 1, |i| i * 3);
        for t in [0, 2, 3, 7] {
            assert_eq!(super::map(10_000, t, 100, |i| i * 3), one);
        }
    }
}
