//! Work spread over the machine's cores, for the offline stages that read, parse and normalize
//! thousands of independent documents (golden files, the resources of a state). Results keep
//! the order of the input, so what a run prints and which error it reports first do not depend
//! on how the work was split.

/// Below this many items a thread costs more than it saves.
const MIN_PER_THREAD: usize = 256;

/// `items.map(f)`, in order, spread over the available cores in contiguous chunks. Runs on the
/// calling thread when there is little work or one core. A panic in `f` is raised again here.
pub fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len() / MIN_PER_THREAD).max(1);
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let mut chunks = split(items, threads).into_iter();
    let first = chunks.next().unwrap_or_default();
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .map(|chunk| s.spawn(move || chunk.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        // The calling thread takes the first chunk instead of waiting idle; it also allocates
        // in its own heap, where what the previous stage freed is reused.
        let mut out: Vec<R> = first.into_iter().map(f).collect();
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// `items` in `n` contiguous chunks of nearly equal length, in order.
fn split<T>(mut items: Vec<T>, n: usize) -> Vec<Vec<T>> {
    let mut chunks = Vec::with_capacity(n);
    for left in (1..=n).rev() {
        let size = items.len() / left;
        chunks.push(items.split_off(items.len() - size));
    }
    chunks.reverse();
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_whatever_the_split() {
        let items: Vec<usize> = (0..10_000).collect();
        let doubled = map(items.clone(), |i| i * 2);
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        for n in 1..6 {
            let chunks = split(items.clone(), n);
            assert_eq!(chunks.len(), n);
            assert_eq!(chunks.concat(), items);
        }
    }

    #[test]
    fn the_first_error_in_input_order_is_the_one_reported() {
        let items: Vec<usize> = (0..5_000).collect();
        let got: Result<Vec<usize>, usize> =
            map(items, |i| if i % 1_000 == 999 { Err(i) } else { Ok(i) })
                .into_iter()
                .collect();
        assert_eq!(got, Err(999));
    }
}
