import CEpoll
import Foundation
import Synchronization

/// Threads that build answers the event loops do not have ready, so that a slow page never holds up the
/// answers a loop can send at once. A fixed number of threads, at a lower scheduling priority than the
/// loops, take jobs in the order they came; the queue is bounded.
final class WorkerPool: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let ready = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    /// Jobs waiting beyond this are refused (the caller answers 503).
    let capacity: Int

    /// - Parameter niceness: added to each thread's nice value (0–19): the loops, at 0, run first.
    init(threads: Int, capacity: Int, niceness: Int32 = 5) {
        self.capacity = capacity
        for _ in 0..<threads {
            let thread = Thread { [self] in
                _ = cepoll_name_thread("sftatlas-render")
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(cepoll_thread_id()), niceness) // best effort
                run()
            }
            thread.start()
        }
    }

    /// Queues `job`; false when the queue is full.
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let queued = jobs.withLock { list -> Bool in
            guard list.count < capacity else { return false }
            list.append(job)
            return true
        }
        if queued { ready.signal() }
        return queued
    }

    /// Lets the threads finish their current job and end.
    func stop(threads: Int) {
        stopped.store(true, ordering: .sequentiallyConsistent)
        for _ in 0..<threads { ready.signal() }
    }

    private func run() {
        while true {
            ready.wait()
            if stopped.load(ordering: .sequentiallyConsistent) { return }
            let job = jobs.withLock { list in list.isEmpty ? nil : list.removeFirst() }
            job?()
        }
    }
}
