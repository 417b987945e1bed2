//! The hand-offs of the parallel check: chunks of records are read in file order on the calling
//! thread, prepared ([`super::prepare_slot`]) on whichever thread is free, and taken back in file
//! order on the calling thread.
//!
//! Chunks are small ([`CHUNK`] records) and few are in flight ([`IN_FLIGHT`]), so a record is
//! still in the caches when it is prepared and again when it is taken, and nothing waits for a
//! whole slice of 1000: a barrier per slice had each thread idle while the other finished its
//! part, and three slices in flight (several megabytes) did not fit in the caches, so every
//! record was fetched from memory three times. The calling thread keeps the pool fed first,
//! then takes what is ready, and prepares a chunk itself rather than wait: how the work splits
//! between the threads follows the file, not a guess.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

use super::Batch;

/// Records per chunk: a multiple of the window that [`super::Run::warm`] warms, enough that a
/// hand-off costs little against preparing them.
pub(super) const CHUNK: usize = 64;

/// Chunks read and not yet taken, at most: enough to keep every thread busy while the calling
/// thread takes, few enough that they stay in the caches.
const IN_FLIGHT: u64 = 12;

/// Chunks waiting for a thread: the calling thread reads another before anything else when there
/// are fewer, so that the pool never waits for work.
const FED: usize = 2;

/// The queues shared by the calling thread and the pool.
pub(super) struct Pipeline {
    queue: Mutex<Queue>,
    /// Signalled whenever a chunk is read or prepared, and when the pipeline closes.
    changed: Condvar,
}

#[derive(Default)]
struct Queue {
    /// Read and not yet prepared, oldest first, with their numbers in file order.
    todo: VecDeque<(u64, Batch)>,
    /// Prepared and not yet taken (a few, in any order).
    done: Vec<(u64, Batch)>,
    /// No more chunks will be read: the pool's threads return once `todo` is empty.
    closed: bool,
    /// A thread panicked while preparing: the chunk it held will never be done.
    broken: bool,
}

/// What the calling thread does next ([`Pipeline::next_step`]).
pub(super) enum Step {
    /// Read the next chunk.
    Read,
    /// Take this chunk, the next in file order.
    Take(Batch),
    /// Prepare this chunk (numbered in file order), then hand it back with [`Pipeline::done`].
    Prepare(u64, Batch),
    /// A thread of the pool panicked: stop, and let the scope report it.
    Stop,
}

/// Where the calling thread is: the next chunk to take, how many have been read, and whether
/// reading has ended.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Progress {
    pub(super) taken: u64,
    pub(super) read: u64,
    pub(super) reading: bool,
}

impl Progress {
    fn may_read(&self) -> bool {
        self.reading && self.read - self.taken < IN_FLIGHT
    }
}

impl Pipeline {
    pub(super) fn new() -> Pipeline {
        Pipeline { queue: Mutex::new(Queue::default()), changed: Condvar::new() }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        // The queue is consistent between statements, so a poisoned lock (a panic elsewhere)
        // still holds it whole; `broken` says what was lost.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands a chunk just read (the `number`th in file order) to whichever thread is free.
    pub(super) fn push(&self, number: u64, batch: Batch) {
        self.lock().todo.push_back((number, batch));
        self.changed.notify_all();
    }

    /// Hands back a chunk prepared on the calling thread.
    pub(super) fn done(&self, number: u64, batch: Batch) {
        self.lock().done.push((number, batch));
    }

    /// What the calling thread should do next, waiting only when there is nothing it can do.
    pub(super) fn next_step(&self, progress: Progress) -> Step {
        let mut queue = self.lock();
        loop {
            if queue.broken {
                return Step::Stop;
            }
            if progress.may_read() && queue.todo.len() < FED {
                return Step::Read;
            }
            if let Some(i) = queue.done.iter().position(|(n, _)| *n == progress.taken) {
                return Step::Take(queue.done.swap_remove(i).1);
            }
            if let Some((n, batch)) = queue.todo.pop_front() {
                return Step::Prepare(n, batch);
            }
            if progress.may_read() {
                return Step::Read;
            }
            queue = self.changed.wait(queue).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Prepares chunks on a thread of the pool until the pipeline closes.
    pub(super) fn work(&self, prepare: &(impl Fn(&mut Batch) + Sync)) {
        let mut queue = self.lock();
        loop {
            if let Some((n, mut batch)) = queue.todo.pop_front() {
                drop(queue);
                let mut watch = Watch { pipeline: self, finished: false };
                prepare(&mut batch);
                watch.finished = true;
                queue = self.lock();
                queue.done.push((n, batch));
                self.changed.notify_all();
            } else if queue.closed || queue.broken {
                return;
            } else {
                queue = self.changed.wait(queue).unwrap_or_else(|e| e.into_inner());
            }
        }
    }

    /// Closes the pipeline when dropped, however the calling thread leaves (done, an error, or a
    /// panic): the pool's threads then return and the scope can end.
    pub(super) fn closer(&self) -> Closer<'_> {
        Closer { pipeline: self }
    }
}

/// See [`Pipeline::closer`].
pub(super) struct Closer<'p> {
    pipeline: &'p Pipeline,
}

impl Drop for Closer<'_> {
    fn drop(&mut self) {
        self.pipeline.lock().closed = true;
        self.pipeline.changed.notify_all();
    }
}

/// Marks the pipeline broken if preparing a chunk panics, so that the calling thread does not
/// wait for that chunk forever.
struct Watch<'p> {
    pipeline: &'p Pipeline,
    finished: bool,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.pipeline.lock().broken = true;
            self.pipeline.changed.notify_all();
        }
    }
}
