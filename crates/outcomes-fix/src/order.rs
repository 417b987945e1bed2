//! Putting rows in an order that satisfies "must come before" constraints while moving as few
//! rows as possible.
//!
//! # The problem
//!
//! Rows `0..n` are in file order; `preds[v]` lists the rows that must come before `v` (an acyclic
//! relation). A row *moves* when its position relative to the others changes; the rows that do
//! not move are a common subsequence of the old and the new order, so the number of moved rows
//! of a new order is `n − LCS(old, new)`. We want a valid order with the fewest moved rows.
//!
//! # Why the result is minimal
//!
//! Write `a ≺ b` when `a` must come before `b`, directly or through other rows (the transitive
//! closure of `preds`). Call `v < a` (in file order) with `a ≺ v` an *inversion*: `a` is needed
//! before `v` but comes after it. A set `S` of rows can all stay in place exactly when it holds
//! no inversion: the rows kept in place appear in the new order as they did in the old one, and
//! the new order is valid, so no pair of them is an inversion; conversely, if `S` holds no
//! inversion, adding "consecutive members of `S` in file order" to the constraints creates no
//! cycle (a cycle would need a path from a later member of `S` back to an earlier one, which is
//! an inversion), so a valid order keeping `S` in place exists and topological sorting finds it.
//!
//! The inversions form a strict partial order (if `u < v` with `v ≺ u`, and `v < w` with
//! `w ≺ v`, then `u < w` and `w ≺ u`), so the largest inversion-free set is a maximum
//! *antichain* of it. By Dilworth's and König's theorems its size is `n` minus a maximum
//! matching in the bipartite graph with an edge from `v` (left) to `a` (right) for every
//! inversion, and the rows outside it are read off a minimum vertex cover. We find the matching
//! with Hopcroft–Karp (`O(E·√V)`) and the cover by König's construction, so the number of rows
//! moved is exactly the minimum. Among the minimum covers we take the one built from the
//! unmatched *right* vertices, which prefers moving the later row of an inversion (a parent
//! group up) over the earlier one (its children down): `y(parent g), x, g` becomes `g, y, x`
//! (the group moved up to its first child) rather than `x, g, y` (the child moved down).
//!
//! The final order is the topological sort that always takes the available row that came first
//! in the file, with the kept rows chained in file order: a row moved up lands just before the
//! first row that needs it, a row moved down just after the last row it needs.
//!
//! Enumerating the inversions visits every row's ancestors. If that exceeds a work budget (only
//! for pathologically deep hierarchies), we fall back to the plain stable topological sort
//! (same rule, no chain), which is valid but not always minimal, and say so.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// How much ancestor-walking work [`reorder`] does before falling back: a fraction of a second,
/// and the inversion lists it builds stay within about 80 MB.
pub(crate) const DEFAULT_BUDGET: usize = 10_000_000;

/// A valid order and which rows moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reordered {
    /// The rows in their new order.
    pub(crate) order: Vec<usize>,
    /// Whether each row (by old index) moved.
    pub(crate) moved: Vec<bool>,
    /// Whether the number of moved rows is proven minimal (false after the budget fallback).
    pub(crate) minimal: bool,
}

/// Orders rows `0..preds.len()` so that every row comes after its `preds`, moving as few rows as
/// possible. `None` when the constraints have a cycle.
pub(crate) fn reorder(preds: &[Vec<usize>], budget: usize) -> Option<Reordered> {
    let n = preds.len();
    let Some(later_ancestors) = inversions(preds, budget) else {
        let order = topological(preds, &[])?;
        let moved = moved_by_lis(&order);
        return Some(Reordered { order, moved, minimal: false });
    };
    let moved = min_moved(n, &later_ancestors);
    let kept: Vec<usize> = (0..n).filter(|&v| !moved[v]).collect();
    let order = topological(preds, &kept)?;
    Some(Reordered { order, moved, minimal: true })
}

/// For every row, the rows it (transitively) needs that come after it; `None` past the budget.
fn inversions(preds: &[Vec<usize>], budget: usize) -> Option<Vec<Vec<usize>>> {
    let n = preds.len();
    let mut result = vec![Vec::new(); n];
    let mut seen = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut work = 0usize;
    for v in 0..n {
        if preds[v].is_empty() {
            continue;
        }
        stack.clear();
        stack.extend_from_slice(&preds[v]);
        while let Some(a) = stack.pop() {
            if a >= n || seen[a] == v {
                continue;
            }
            seen[a] = v;
            work += 1 + preds[a].len();
            if work > budget {
                return None;
            }
            if a > v {
                result[v].push(a);
            }
            stack.extend_from_slice(&preds[a]);
        }
        result[v].sort_unstable();
    }
    Some(result)
}

/// The rows outside a maximum inversion-free set (see the module docs).
fn min_moved(n: usize, adj: &[Vec<usize>]) -> Vec<bool> {
    let (match_l, match_r) = hopcroft_karp(n, adj);
    let mut radj = vec![Vec::new(); n];
    for (v, list) in adj.iter().enumerate() {
        for &a in list {
            radj[a].push(v);
        }
    }
    // König, from the unmatched right vertices: Z = what alternating paths reach.
    let mut vis_l = vec![false; n];
    let mut vis_r = vec![false; n];
    let mut queue: VecDeque<usize> = (0..n).filter(|&a| match_r[a].is_none() && !radj[a].is_empty()).collect();
    for &a in &queue {
        vis_r[a] = true;
    }
    while let Some(a) = queue.pop_front() {
        for &v in &radj[a] {
            if vis_l[v] {
                continue;
            }
            vis_l[v] = true;
            if let Some(a2) = match_l[v] {
                if !vis_r[a2] {
                    vis_r[a2] = true;
                    queue.push_back(a2);
                }
            }
        }
    }
    // Cover = (R \ Z) ∪ (L ∩ Z).
    (0..n).map(|v| vis_l[v] || (match_r[v].is_some() && !vis_r[v])).collect()
}

/// A maximum matching between left `0..n` and right `0..n`, `adj[left]` listing its rights.
/// Returns each left's right and each right's left.
fn hopcroft_karp(n: usize, adj: &[Vec<usize>]) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    const INF: usize = usize::MAX;
    let mut match_l: Vec<Option<usize>> = vec![None; n];
    let mut match_r: Vec<Option<usize>> = vec![None; n];
    let mut dist = vec![INF; n];
    let lefts: Vec<usize> = (0..n).filter(|&v| !adj[v].is_empty()).collect();
    loop {
        // Layers from the free left vertices.
        let mut queue = VecDeque::new();
        for &v in &lefts {
            if match_l[v].is_none() {
                dist[v] = 0;
                queue.push_back(v);
            } else {
                dist[v] = INF;
            }
        }
        let mut found = false;
        while let Some(v) = queue.pop_front() {
            for &a in &adj[v] {
                match match_r[a] {
                    None => found = true,
                    Some(w) if dist[w] == INF => {
                        dist[w] = dist[v] + 1;
                        queue.push_back(w);
                    }
                    Some(_) => {}
                }
            }
        }
        if !found {
            break;
        }
        // Vertex-disjoint shortest augmenting paths, by iterative depth-first search.
        let mut next_edge = vec![0usize; n];
        for &start in &lefts {
            if match_l[start].is_some() {
                continue;
            }
            // Frames: (left vertex, the right vertex through which we reached it).
            let mut stack: Vec<(usize, Option<usize>)> = vec![(start, None)];
            while let Some(&(v, _)) = stack.last() {
                let Some(&a) = adj[v].get(next_edge[v]) else {
                    dist[v] = INF;
                    stack.pop();
                    continue;
                };
                next_edge[v] += 1;
                match match_r[a] {
                    None => {
                        // Flip the path: each frame's vertex takes the right below it.
                        let mut free = a;
                        while let Some((w, via)) = stack.pop() {
                            match_l[w] = Some(free);
                            match_r[free] = Some(w);
                            if let Some(via) = via {
                                free = via;
                            }
                        }
                        break;
                    }
                    Some(w) if dist[w] != INF && dist[w] == dist[v] + 1 => {
                        stack.push((w, Some(a)));
                    }
                    Some(_) => {}
                }
            }
        }
    }
    (match_l, match_r)
}

/// The stable topological sort: always the available row that came first, with `kept` rows
/// (in file order) chained so they keep their relative order. `None` on a cycle.
fn topological(preds: &[Vec<usize>], kept: &[usize]) -> Option<Vec<usize>> {
    let n = preds.len();
    let mut succs = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for (v, list) in preds.iter().enumerate() {
        for &p in list {
            succs[p].push(v);
            indegree[v] += 1;
        }
    }
    for pair in kept.windows(2) {
        succs[pair[0]].push(pair[1]);
        indegree[pair[1]] += 1;
    }
    let mut heap: BinaryHeap<Reverse<usize>> = (0..n).filter(|&v| indegree[v] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(v)) = heap.pop() {
        order.push(v);
        for &w in &succs[v] {
            indegree[w] -= 1;
            if indegree[w] == 0 {
                heap.push(Reverse(w));
            }
        }
    }
    (order.len() == n).then_some(order)
}

/// The rows outside one longest increasing subsequence of `order`: a smallest set of rows whose
/// moving explains the new order.
fn moved_by_lis(order: &[usize]) -> Vec<bool> {
    let n = order.len();
    // Patience sorting with back-pointers.
    let mut tails: Vec<usize> = Vec::new(); // positions in `order`
    let mut back: Vec<Option<usize>> = vec![None; n];
    for (i, &v) in order.iter().enumerate() {
        let k = tails.partition_point(|&t| order[t] < v);
        back[i] = k.checked_sub(1).map(|j| tails[j]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut moved = vec![true; n];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        moved[order[i]] = false;
        at = back[i];
    }
    moved
}

/// The number of rows moved between file order and `order`: `n − LCS`.
#[cfg(test)]
pub(crate) fn moves(order: &[usize]) -> usize {
    moved_by_lis(order).iter().filter(|&&m| m).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn edges(n: usize, list: &[(usize, usize)]) -> Vec<Vec<usize>> {
        let mut preds = vec![Vec::new(); n];
        for &(before, after) in list {
            preds[after].push(before);
        }
        preds
    }

    fn valid(preds: &[Vec<usize>], order: &[usize]) -> bool {
        let mut pos = vec![0; order.len()];
        for (i, &v) in order.iter().enumerate() {
            pos[v] = i;
        }
        preds.iter().enumerate().all(|(v, list)| list.iter().all(|&p| pos[p] < pos[v]))
    }

    /// The fewest moves of any valid order, by trying every permutation.
    fn brute_force(preds: &[Vec<usize>]) -> usize {
        fn permute(preds: &[Vec<usize>], prefix: &mut Vec<usize>, used: &mut Vec<bool>, best: &mut usize) {
            let n = preds.len();
            if prefix.len() == n {
                *best = (*best).min(moves(prefix));
                return;
            }
            for v in 0..n {
                if !used[v] && preds[v].iter().all(|&p| used[p]) {
                    used[v] = true;
                    prefix.push(v);
                    permute(preds, prefix, used, best);
                    prefix.pop();
                    used[v] = false;
                }
            }
        }
        let mut best = usize::MAX;
        permute(preds, &mut Vec::new(), &mut vec![false; preds.len()], &mut best);
        best
    }

    #[test]
    fn a_group_after_its_children_moves_up_alone() {
        // o1(g), o2(g), o3(g), g
        let preds = edges(4, &[(3, 0), (3, 1), (3, 2)]);
        let r = reorder(&preds, DEFAULT_BUDGET).expect("acyclic");
        assert_eq!(r.order, vec![3, 0, 1, 2]);
        assert_eq!(r.moved, vec![false, false, false, true]);
    }

    #[test]
    fn a_child_before_a_long_chain_moves_down_alone() {
        // c(p), q, r(q), s(r), p(s): moving the chain up would move four rows.
        let preds = edges(5, &[(4, 0), (1, 2), (2, 3), (3, 4)]);
        let r = reorder(&preds, DEFAULT_BUDGET).expect("acyclic");
        assert_eq!(r.order, vec![1, 2, 3, 4, 0]);
        assert_eq!(r.moved.iter().filter(|&&m| m).count(), 1);
    }

    #[test]
    fn unrelated_rows_do_not_jump_ahead() {
        // o1(g), o2(g), g(h), x, h: a plain stable sort would give x,h,g,o1,o2 (three moves).
        let preds = edges(5, &[(2, 0), (2, 1), (4, 2)]);
        let r = reorder(&preds, DEFAULT_BUDGET).expect("acyclic");
        assert_eq!(r.order, vec![4, 2, 0, 1, 3]);
        assert_eq!(moves(&r.order), 2);
    }

    #[test]
    fn on_a_tie_the_parent_moves_up() {
        // y(g), x, g: `g, y, x` (g moved up), not `x, g, y` (y moved down).
        let preds = edges(3, &[(2, 0)]);
        let r = reorder(&preds, DEFAULT_BUDGET).expect("acyclic");
        assert_eq!(r.order, vec![2, 0, 1]);
        assert_eq!(r.moved, vec![false, false, true]);
    }

    #[test]
    fn an_ordered_file_is_left_as_it_is() {
        let preds = edges(4, &[(0, 1), (1, 2), (0, 3)]);
        let r = reorder(&preds, DEFAULT_BUDGET).expect("acyclic");
        assert_eq!(r.order, vec![0, 1, 2, 3]);
        assert!(r.moved.iter().all(|m| !m));
    }

    #[test]
    fn cycles_are_refused() {
        assert_eq!(reorder(&edges(2, &[(0, 1), (1, 0)]), DEFAULT_BUDGET), None);
    }

    #[test]
    fn past_the_budget_the_order_is_still_valid() {
        let preds = edges(5, &[(2, 0), (2, 1), (4, 2)]);
        let r = reorder(&preds, 2).expect("acyclic");
        assert!(!r.minimal);
        assert!(valid(&preds, &r.order));
        assert_eq!(r.order, vec![3, 4, 2, 0, 1]);
    }

    /// Random DAGs: edges only from a random "rank" order to a later rank, rows shuffled.
    fn dag() -> impl Strategy<Value = Vec<Vec<usize>>> {
        (1usize..8)
            .prop_flat_map(|n| {
                (
                    Just(n),
                    Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
                    proptest::collection::vec((0..n, 0..n), 0..(n * 2)),
                )
            })
            .prop_map(|(n, rank, pairs)| {
                let mut preds = vec![Vec::new(); n];
                for (a, b) in pairs {
                    if rank[a] < rank[b] && !preds[b].contains(&a) {
                        preds[b].push(a);
                    }
                }
                preds
            })
    }

    /// Maximum matching by simple augmenting paths (Kuhn), to check Hopcroft–Karp against.
    fn kuhn(n: usize, adj: &[Vec<usize>]) -> usize {
        fn augment(v: usize, adj: &[Vec<usize>], seen: &mut [bool], match_r: &mut [Option<usize>]) -> bool {
            for &a in &adj[v] {
                if !seen[a] {
                    seen[a] = true;
                    if match_r[a].is_none_or(|w| augment(w, adj, seen, match_r)) {
                        match_r[a] = Some(v);
                        return true;
                    }
                }
            }
            false
        }
        let mut match_r = vec![None; n];
        (0..n).filter(|&v| augment(v, adj, &mut vec![false; n], &mut match_r)).count()
    }

    /// Larger random DAGs than brute force can handle.
    fn big_dag() -> impl Strategy<Value = Vec<Vec<usize>>> {
        (10usize..60)
            .prop_flat_map(|n| {
                (
                    Just(n),
                    Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
                    proptest::collection::vec((0..n, 0..n), 0..(n * 3)),
                )
            })
            .prop_map(|(n, rank, pairs)| {
                let mut preds = vec![Vec::new(); n];
                for (a, b) in pairs {
                    if rank[a] < rank[b] && !preds[b].contains(&a) {
                        preds[b].push(a);
                    }
                }
                preds
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn hopcroft_karp_finds_a_maximum_matching_and_the_cover_matches_it(preds in big_dag()) {
            let n = preds.len();
            let adj = inversions(&preds, DEFAULT_BUDGET).expect("within budget");
            let (match_l, match_r) = hopcroft_karp(n, &adj);
            let size = match_l.iter().filter(|m| m.is_some()).count();
            prop_assert_eq!(size, kuhn(n, &adj));
            for (v, m) in match_l.iter().enumerate() {
                if let Some(a) = m {
                    prop_assert!(adj[v].contains(a));
                    prop_assert_eq!(match_r[*a], Some(v));
                }
            }
            let r = reorder(&preds, DEFAULT_BUDGET).expect("acyclic");
            prop_assert!(valid(&preds, &r.order));
            let moved = r.moved.iter().filter(|&&m| m).count();
            prop_assert_eq!(moved, size, "moved rows = n - maximum antichain = matching size");
            prop_assert_eq!(moved, moves(&r.order));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn the_order_is_valid_and_moves_the_fewest_rows(preds in dag()) {
            let r = reorder(&preds, DEFAULT_BUDGET).expect("acyclic");
            prop_assert!(valid(&preds, &r.order));
            prop_assert!(r.minimal);
            let moved = r.moved.iter().filter(|&&m| m).count();
            prop_assert_eq!(moved, moves(&r.order));
            prop_assert_eq!(moved, brute_force(&preds));
            // Reordering an already valid order changes nothing.
            let mut renamed = vec![Vec::new(); preds.len()];
            let mut pos = vec![0; preds.len()];
            for (i, &v) in r.order.iter().enumerate() { pos[v] = i; }
            for (v, list) in preds.iter().enumerate() {
                renamed[pos[v]] = list.iter().map(|&p| pos[p]).collect();
            }
            let again = reorder(&renamed, DEFAULT_BUDGET).expect("acyclic");
            prop_assert_eq!(again.order, (0..preds.len()).collect::<Vec<_>>());
        }
    }
}
