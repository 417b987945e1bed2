//! The hand-offs of the parallel check. The calling thread reads chunks of records in file
//! order; any thread prepares them ([`super::prepare_slot`]); one thread of the pool, the
//! taker, takes them in file order ([`super::Run::take_batch`]) and hands what it found back to
//! the calling thread, which alone calls the caller's `on_event`.
//!
//! Reading and taking are the two parts of the check that cannot be shared out, so they run on
//! different threads, and each thread prepares chunks when its own part has to wait: how the
//! work splits follows the file, not a guess. Chunks are small ([`CHUNK`] records) and few are
//! in flight ([`IN_FLIGHT`]), so a record is still in the caches when it is prepared and again
//! when it is taken, and no thread waits for a whole slice of 1000.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

use std::io::Read;

use outcomes_csv::Reader;

use super::{Batch, CheckError, Event, Flow};

/// Records per chunk: a multiple of the window that [`super::Run::warm`] warms, enough that a
/// hand-off costs little against preparing them.
pub(super) const CHUNK: usize = 64;

/// Chunks read and not yet taken, at most: enough to keep every thread busy, few enough that
/// they stay in the caches.
const IN_FLIGHT: u64 = 12;

/// Chunks waiting for a thread: the calling thread reads another before anything else when
/// there are fewer, so that the other threads never wait for work.
const FED: usize = 2;

/// The queues shared by the calling thread and the pool.
pub(super) struct Pipeline {
    queue: Mutex<Queue>,
    /// Signalled whenever the queue changes in a way another thread may wait for.
    changed: Condvar,
}

#[derive(Default)]
struct Queue {
    /// Read and not yet prepared, oldest first, with their numbers in file order.
    todo: VecDeque<(u64, Batch)>,
    /// Prepared and not yet taken (a few, in any order).
    done: Vec<(u64, Batch)>,
    /// Taken chunks, for the calling thread to read into again.
    spare: Vec<Batch>,
    /// What the taker found, in file order, for the calling thread to hand on.
    found: VecDeque<Vec<Event>>,
    /// How many chunks the taker has taken.
    taken: u64,
    /// How the taker ended, until the calling thread learns it.
    ended: Option<Result<(), CheckError>>,
    /// The taker has ended: nothing is left to prepare.
    over: bool,
    /// A thread panicked while holding a chunk: the check cannot complete.
    broken: bool,
    /// Threads waiting on [`Pipeline::changed`]: a change that finds none wakes none. The
    /// standard condvar makes a system call on every notify, waiter or not, and a million rows
    /// are some 47,000 hand-offs, most of them while the other thread is busy.
    sleepers: u32,
}

/// What the calling thread does next ([`Pipeline::reader_step`]).
pub(super) enum ReaderStep {
    /// Read the next chunk into this batch (a spare one, or a new one).
    Read(Batch),
    /// Prepare this chunk, then hand it back with [`Pipeline::prepared`].
    Prepare(u64, Batch),
    /// Hand these events to the caller, in this order.
    Hand(Vec<Event>),
    /// The check is complete (or reading failed), and every event has been handed on.
    End(Result<(), CheckError>),
    /// Another thread panicked: stop, and let the scope report it.
    Stop,
}

/// What the taker does next ([`Pipeline::taker_step`]).
pub(super) enum TakerStep {
    /// Take this chunk, the next in file order, then hand it back with [`Pipeline::taken`].
    Take(Batch),
    /// Prepare this chunk, then hand it back with [`Pipeline::prepared`].
    Prepare(u64, Batch),
    /// The check is over.
    Stop,
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

    fn wait<'q>(&self, mut queue: MutexGuard<'q, Queue>) -> MutexGuard<'q, Queue> {
        queue.sleepers += 1;
        let mut queue = self.changed.wait(queue).unwrap_or_else(|e| e.into_inner());
        queue.sleepers -= 1;
        queue
    }

    /// Releases the queue after a change, waking the threads waiting for one, if any. A thread
    /// counted in `sleepers` under the lock has released it only by waiting, so it is woken;
    /// one that comes to wait later sees the change first.
    fn publish(&self, queue: MutexGuard<'_, Queue>) {
        let sleepers = queue.sleepers;
        drop(queue);
        if sleepers > 0 {
            self.changed.notify_all();
        }
    }

    /// What the calling thread should do next, having read `read` chunks (and still reading
    /// unless `reading` is false), waiting only when there is nothing it can do.
    pub(super) fn reader_step(&self, read: u64, reading: bool) -> ReaderStep {
        let mut queue = self.lock();
        loop {
            if queue.broken {
                return ReaderStep::Stop;
            }
            if let Some(events) = queue.found.pop_front() {
                return ReaderStep::Hand(events);
            }
            if let Some(end) = queue.ended.take() {
                return ReaderStep::End(end);
            }
            let may_read = reading && read - queue.taken < IN_FLIGHT;
            if may_read && queue.todo.len() < FED {
                return ReaderStep::Read(queue.spare.pop().unwrap_or_default());
            }
            if let Some((n, batch)) = queue.todo.pop_front() {
                return ReaderStep::Prepare(n, batch);
            }
            if may_read {
                return ReaderStep::Read(queue.spare.pop().unwrap_or_default());
            }
            queue = self.wait(queue);
        }
    }

    /// What the taker should do next, waiting only when there is nothing it can do.
    pub(super) fn taker_step(&self) -> TakerStep {
        let mut queue = self.lock();
        loop {
            if queue.broken {
                return TakerStep::Stop;
            }
            let next = queue.taken;
            if let Some(i) = queue.done.iter().position(|(n, _)| *n == next) {
                return TakerStep::Take(queue.done.swap_remove(i).1);
            }
            if let Some((n, batch)) = queue.todo.pop_front() {
                return TakerStep::Prepare(n, batch);
            }
            queue = self.wait(queue);
        }
    }

    /// Prepares chunks on a thread of the pool (other than the taker) until the check is over.
    pub(super) fn work(&self, prepare: &(impl Fn(&mut Batch) + Sync)) {
        let mut queue = self.lock();
        loop {
            if queue.broken || queue.over {
                return;
            }
            if let Some((n, mut batch)) = queue.todo.pop_front() {
                drop(queue);
                let watch = self.watch();
                prepare(&mut batch);
                watch.finished();
                self.prepared(n, batch);
                queue = self.lock();
            } else {
                queue = self.wait(queue);
            }
        }
    }

    /// Hands a chunk just read (the `number`th in file order) to whichever thread is free.
    pub(super) fn read(&self, number: u64, batch: Batch) {
        let mut queue = self.lock();
        queue.todo.push_back((number, batch));
        self.publish(queue);
    }

    /// Hands back a prepared chunk.
    pub(super) fn prepared(&self, number: u64, batch: Batch) {
        let mut queue = self.lock();
        queue.done.push((number, batch));
        self.publish(queue);
    }

    /// Hands back a taken chunk, with what taking it found, and, if it was the last, how the
    /// check ended.
    pub(super) fn taken(&self, batch: Batch, found: Vec<Event>, end: Option<Result<(), CheckError>>) {
        let mut queue = self.lock();
        queue.taken += 1;
        queue.spare.push(batch);
        if !found.is_empty() {
            queue.found.push_back(found);
        }
        if end.is_some() {
            queue.ended = end;
            queue.over = true;
        }
        self.publish(queue);
    }

    /// A guard that marks the pipeline broken unless told the work it watches finished: a
    /// thread that panics holding a chunk must not leave the others waiting for it forever.
    pub(super) fn watch(&self) -> Watch<'_> {
        Watch { pipeline: self, finished: false }
    }
}

/// See [`Pipeline::watch`].
pub(super) struct Watch<'p> {
    pipeline: &'p Pipeline,
    finished: bool,
}

impl Watch<'_> {
    pub(super) fn finished(mut self) {
        self.finished = true;
    }
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let mut queue = self.pipeline.lock();
            queue.broken = true;
            self.pipeline.publish(queue);
        }
    }
}

/// The taker's loop: takes chunks in file order (preparing one when none is ready) until the
/// check is complete, handing everything found to the calling thread.
pub(super) fn take_all(
    pipeline: &Pipeline,
    prepare: &impl Fn(&mut Batch),
    mut take: impl FnMut(&mut Batch) -> (Result<Flow, CheckError>, Vec<Event>),
) {
    loop {
        let watch = pipeline.watch();
        match pipeline.taker_step() {
            TakerStep::Take(mut batch) => {
                let (flow, found) = take(&mut batch);
                let end = match flow {
                    Ok(Flow::Continue) => None,
                    Ok(Flow::Done) => Some(Ok(())),
                    Err(e) => Some(Err(e)),
                };
                let last = end.is_some();
                watch.finished();
                pipeline.taken(batch, found, end);
                if last {
                    return;
                }
            }
            TakerStep::Prepare(n, mut batch) => {
                prepare(&mut batch);
                watch.finished();
                pipeline.prepared(n, batch);
            }
            TakerStep::Stop => {
                watch.finished();
                return;
            }
        }
    }
}

/// The calling thread's loop: reads chunks, prepares one when it would otherwise wait, and
/// hands on to `emit` what the taker found, until the check is complete.
pub(super) fn read_all<R: Read>(
    reader: &mut Reader<R>,
    pipeline: &Pipeline,
    prepare: &impl Fn(&mut Batch),
    emit: &mut dyn FnMut(Event),
) -> Result<(), CheckError> {
    let watch = pipeline.watch();
    let (mut read, mut reading) = (0, true);
    loop {
        match pipeline.reader_step(read, reading) {
            ReaderStep::Read(mut batch) => {
                batch.read(reader, CHUNK);
                reading = batch.end.is_none();
                pipeline.read(read, batch);
                read += 1;
            }
            ReaderStep::Prepare(n, mut batch) => {
                prepare(&mut batch);
                pipeline.prepared(n, batch);
            }
            ReaderStep::Hand(events) => {
                for event in events {
                    emit(event);
                }
            }
            ReaderStep::End(end) => {
                watch.finished();
                return end;
            }
            ReaderStep::Stop => {
                watch.finished();
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the calling thread, with nothing left to read, is told to stop within ten
    /// seconds (if not, it is released, so that a failing test fails rather than hangs).
    fn told_to_stop(pipeline: &Pipeline) -> bool {
        std::thread::scope(|scope| {
            let (tell, told) = std::sync::mpsc::channel();
            scope.spawn(move || tell.send(matches!(pipeline.reader_step(1, false), ReaderStep::Stop)));
            let stopped = told.recv_timeout(std::time::Duration::from_secs(10));
            if stopped.is_err() {
                let mut queue = pipeline.lock();
                queue.broken = true;
                pipeline.publish(queue);
            }
            stopped.unwrap_or(false)
        })
    }

    /// A thread that panics holding a chunk (a bug in a lint, say) must not leave the calling
    /// thread waiting for that chunk forever: it is told to stop, and the panic is reported.
    #[test]
    fn a_panic_while_preparing_stops_the_calling_thread() {
        let pipeline = Pipeline::new();
        pipeline.read(0, Batch::default());
        std::thread::scope(|scope| {
            let worker = scope.spawn(|| pipeline.work(&|_: &mut Batch| panic!("a bug in a lint")));
            assert!(worker.join().is_err());
        });
        assert!(told_to_stop(&pipeline));
    }

    #[test]
    fn a_panic_while_taking_stops_the_calling_thread() {
        let pipeline = Pipeline::new();
        pipeline.read(0, Batch::default());
        std::thread::scope(|scope| {
            let taker = scope.spawn(|| {
                take_all(&pipeline, &|_: &mut Batch| {}, |_: &mut Batch| -> (Result<Flow, CheckError>, Vec<Event>) {
                    panic!("a bug in a lint")
                })
            });
            assert!(taker.join().is_err());
        });
        assert!(told_to_stop(&pipeline));
    }

    /// Without a panic, the calling thread is told how the check ended once it has everything
    /// the taker found, in order.
    #[test]
    fn the_end_comes_after_everything_found() {
        let pipeline = Pipeline::new();
        for n in 0..3 {
            pipeline.read(n, Batch::default());
        }
        let mut taken = 0;
        take_all(&pipeline, &|_: &mut Batch| {}, |_: &mut Batch| {
            taken += 1;
            let flow = if taken == 3 { Flow::Done } else { Flow::Continue };
            (Ok(flow), vec![Event::Diagnostic(crate::Diagnostic::new(crate::Rule::EmptyFile, taken.to_string()))])
        });
        let mut found = Vec::new();
        loop {
            match pipeline.reader_step(3, false) {
                ReaderStep::Hand(events) => found.extend(events.into_iter().map(|e| match e {
                    Event::Diagnostic(d) => d.message,
                    Event::Item(_) => String::new(),
                })),
                ReaderStep::End(end) => {
                    assert!(end.is_ok());
                    break;
                }
                _ => panic!("nothing else is left to do"),
            }
        }
        assert_eq!(found, ["1", "2", "3"]);
    }
}
