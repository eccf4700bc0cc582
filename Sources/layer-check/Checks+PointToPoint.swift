import SPMD

// Point-to-point messages: blocking, nonblocking and probes. Phases are separated by barriers,
// so a receive from any source or with any tag can only match its own phase's messages.

extension Checks {
    mutating func pointToPoint() throws {
        try sendsToEveryRoot()
        try comm.barrier()
        try blockingRing()
        try comm.barrier()
        try nonblockingRing()
        try comm.barrier()
        try probes()
        try comm.barrier()
        try truncation()
    }

    /// Every other rank sends rank + 1 values to each root in turn with tag = its rank;
    /// the root receives them from any source, in whatever order they come.
    mutating func sendsToEveryRoot() throws {
        let rank = self.rank, size = self.size
        let message = { (sender: Int, root: Int) in (0...sender).map { Int32(sender * 100 + root * 10 + $0) } }
        for root in 0..<size {
            guard rank == root else {
                try comm.send(message(rank, root), to: root, tag: rank)
                continue
            }
            var senders: [Int] = []
            for _ in 0..<(size - 1) {
                let (values, status) = try comm.receive(arrayOf: Int32.self, from: Communicator.anySource,
                                                        tag: Communicator.anyTag)
                let sender = status.source
                try expect(sender >= 0 && sender < size && sender != root, "status.source \(sender) at root \(root)")
                try expect(status.tag, sender, "status.tag of the message from rank \(sender) at root \(root)")
                try expect(try status.count(of: Int32.self), sender + 1,
                           "status.count(of: Int32) of the message from rank \(sender) at root \(root)")
                try expect(values, message(sender, root), "receive(arrayOf: Int32) from rank \(sender) at root \(root)")
                senders.append(sender)
            }
            try expect(senders.sorted(), (0..<size).filter { $0 != root }, "senders received at root \(root)")
        }
    }

    /// Blocking sends and receives to the right neighbour, of every form.
    mutating func blockingRing() throws {
        let rank = self.rank, left = self.left, right = self.right, comm = self.comm

        // receive(into:) a buffer longer than the message: the status says how much came.
        let longMessage = { (r: Int) in (0...(r % 3)).map { Int64(r * 1000 + $0) } }
        var buffer = [Int64](repeating: -7, count: 8)
        var status: Status?
        try exchange(send: { try comm.send(longMessage(rank), to: right, tag: 10) },
                     receive: { status = try comm.receive(into: &buffer, from: left, tag: 10) })
        let expected = longMessage(left)
        try expect(status?.source, left, "receive(into:) status.source")
        try expect(status?.tag, 10, "receive(into:) status.tag")
        try expect(try status?.count(of: Int64.self), expected.count, "receive(into:) status.count(of: Int64)")
        try expect(Array(buffer.prefix(expected.count)), expected, "receive(into:) values")
        try expect(Array(buffer.dropFirst(expected.count)), Array(repeating: -7, count: 8 - expected.count),
                   "receive(into:) leaves the rest of the buffer")

        // One value each way.
        var one: (value: Double, status: Status)?
        try exchange(send: { try comm.send(Double(rank) + 0.125, to: right, tag: 11) },
                     receive: { one = try comm.receive(Double.self, from: left) })
        try expect(one?.value, Double(left) + 0.125, "receive(Double.self) value")
        try expect(one?.status.tag, 11, "receive(Double.self) status.tag")
        try expect(one?.status.source, left, "receive(Double.self) status.source")

        // An empty message.
        var empty: (values: [Int32], status: Status)?
        try exchange(send: { try comm.send([Int32](), to: right, tag: 12) },
                     receive: { empty = try comm.receive(arrayOf: Int32.self, from: left, tag: 12) })
        try expect(empty?.values, [], "receive(arrayOf:) of an empty message")
        try expect(try empty?.status.count(of: Int32.self), 0, "status.count(of:) of an empty message")

        // Unsafe buffers: part of a larger array out, into part of a larger array in.
        let source = (0..<20).map { UInt16(rank * 100 + $0) }
        var target = [UInt16](repeating: 0, count: 16)
        var bufferStatus: Status?
        try exchange(
            send: {
                try source.withUnsafeBufferPointer { all in
                    try comm.send(UnsafeBufferPointer(rebasing: all[3..<8]), to: right, tag: 13)
                }
            },
            receive: {
                bufferStatus = try target.withUnsafeMutableBufferPointer { all in
                    try comm.receive(into: UnsafeMutableBufferPointer(rebasing: all[5..<12]), from: left, tag: 13)
                }
            })
        try expect(try bufferStatus?.count(of: UInt16.self), 5, "receive(into: UnsafeMutableBufferPointer) count")
        try expect(target, Array(repeating: 0, count: 5) + (3..<8).map { UInt16(left * 100 + $0) }
                   + Array(repeating: 0, count: 6), "send(UnsafeBufferPointer) into receive(UnsafeMutableBufferPointer)")

        // sendReceive around the ring, both ways.
        var fromLeft = [Float](repeating: -1, count: 4)
        let toRight = (0..<(2 + rank % 2)).map { Float(rank) + Float($0) * 0.5 }
        let ringStatus = try comm.sendReceive(toRight, to: right, sendTag: 14, into: &fromLeft, from: left,
                                              receiveTag: 14)
        let wantLeft = (0..<(2 + left % 2)).map { Float(left) + Float($0) * 0.5 }
        try expect(Array(fromLeft.prefix(wantLeft.count)), wantLeft, "sendReceive to the right: values")
        try expect(ringStatus.source, left, "sendReceive to the right: status.source")
        try expect(ringStatus.tag, 14, "sendReceive to the right: status.tag")
        try expect(try ringStatus.count(of: Float.self), wantLeft.count, "sendReceive to the right: count")
        var fromRight = [Int32](repeating: 0, count: 1)
        let backStatus = try comm.sendReceive([Int32(rank)], to: left, sendTag: 15, into: &fromRight)
        try expect(fromRight, [Int32(right)], "sendReceive to the left (any source, any tag): values")
        try expect(backStatus.source, right, "sendReceive to the left: status.source")
        try expect(backStatus.tag, 15, "sendReceive to the left: status.tag")
    }

    /// Nonblocking sends and receives around the ring, completed by waitAll, test and wait.
    mutating func nonblockingRing() throws {
        let rank = self.rank, left = self.left, right = self.right, comm = self.comm
        let message = { (r: Int, tag: Int) in (0...(r % 4)).map { Int32(r * 100 + tag + $0) } }

        // Both directions at once, completed by waitAll; receives longer than the messages.
        let fromLeft = try comm.ireceive(count: 8, of: Int32.self, from: left, tag: 20)
        let fromRight = try comm.ireceive(count: 8, of: Int32.self, from: right, tag: 21)
        try expect(fromLeft.isComplete, false, "ireceive is not complete before a wait")
        let toRight = try comm.isend(message(rank, 20), to: right, tag: 20)
        let toLeft = try comm.isend(message(rank, 21), to: left, tag: 21)
        let statuses = try Request.waitAll([fromLeft, toRight, fromRight, toLeft])
        try expect(statuses.count, 4, "waitAll status count")
        try expect(statuses[0].source, left, "waitAll: status.source from the left")
        try expect(statuses[0].tag, 20, "waitAll: status.tag from the left")
        try expect(statuses[2].source, right, "waitAll: status.source from the right")
        try expect(statuses[2].tag, 21, "waitAll: status.tag from the right")
        try expect(fromLeft.values, message(left, 20), "ReceiveRequest.values from the left after waitAll")
        try expect(fromRight.values, message(right, 21), "ReceiveRequest.values from the right after waitAll")
        try expect([fromLeft, toRight, fromRight, toLeft].allSatisfy(\.isComplete), "isComplete after waitAll")
        // A request completes once: completing it again changes nothing.
        try fromLeft.wait()
        try expect(fromLeft.values, message(left, 20), "ReceiveRequest.values after waitAll and a second wait()")

        // Completed by looping over test().
        let polled = try comm.ireceive(count: 4, of: Double.self, from: left, tag: 22)
        let polledSend = try comm.isend([Double(rank) * 0.5, -1], to: right, tag: 22)
        let polledStatus = try poll("ReceiveRequest.test() completes") { try polled.test() }
        _ = try poll("SendRequest.test() completes") { try polledSend.test() }
        try expect(polledStatus.source, left, "test(): status.source")
        try expect(polledStatus.tag, 22, "test(): status.tag")
        try expect(polled.values, [Double(left) * 0.5, -1], "ReceiveRequest.values after test()")
        try expect(polled.isComplete && polledSend.isComplete, "isComplete after test()")
        try Request.waitAll([polled, polledSend])
        try expect(polled.values, [Double(left) * 0.5, -1], "ReceiveRequest.values after test() and then waitAll")

        // Completed by wait() and waitForValues(), from any source.
        let waited = try comm.ireceive(count: 3, of: UInt8.self, from: Communicator.anySource, tag: 23)
        let waitedPlain = try comm.ireceive(count: 2, of: Bool.self, from: left, tag: Communicator.anyTag)
        let waitedSend = try comm.isend([UInt8(rank), 255], to: right, tag: 23)
        let waitedSendPlain = try comm.isend([rank % 2 == 0, true], to: right, tag: 24)
        let (values, status) = try waited.waitForValues()
        try expect(values, [UInt8(left), 255], "waitForValues() values")
        try expect(waited.values, [UInt8(left), 255], "ReceiveRequest.values after waitForValues()")
        try expect(status.source, left, "waitForValues() status.source")
        try expect(status.tag, 23, "waitForValues() status.tag")
        let plainStatus = try waitedPlain.wait()
        try expect(waitedPlain.values, [left % 2 == 0, true], "ReceiveRequest.values after wait()")
        try expect(plainStatus.tag, 24, "wait() status.tag")
        try waitedSend.wait()
        try waitedSendPlain.wait()
        try expect(waited.isComplete && waitedPlain.isComplete && waitedSend.isComplete && waitedSendPlain.isComplete,
                   "isComplete after wait()")

        // cancel() withdraws a receive nothing matches, locally; on a completed request it does nothing.
        let unmatched = try comm.ireceive(count: 1, of: Int.self, from: left, tag: 25)
        try expect(try unmatched.cancel(), true, "cancel() withdraws an ireceive no message matches")
        try expect(unmatched.isComplete, "isComplete after cancel()")
        try expect(try unmatched.cancel(), false, "cancel() of a completed request")
    }

    /// probe and iprobe with a specific source and tag.
    mutating func probes() throws {
        let rank = self.rank, left = self.left, right = self.right, comm = self.comm
        let doubles = try comm.isend((0..<(rank + 2)).map { Double(rank) + Double($0) * 0.25 }, to: right, tag: 30)
        let bytes = try comm.isend([UInt8(rank), 1, 2], to: right, tag: 31)

        try expect(try comm.iprobe(from: left, tag: 99) == nil, "iprobe for a tag nobody sent is nil")
        let probed = try comm.probe(from: left, tag: 30)
        try expect(probed.source, left, "probe status.source")
        try expect(probed.tag, 30, "probe status.tag")
        try expect(try probed.count(of: Double.self), left + 2, "probe status.count(of: Double)")
        try expect(try probed.count(of: UInt8.self), 8 * (left + 2), "probe status.count(of: UInt8)")

        let iprobed = try poll("iprobe(from: \(left), tag: 31) finds the message") {
            try comm.iprobe(from: left, tag: 31)
        }
        try expect(iprobed.source, left, "iprobe status.source")
        try expect(iprobed.tag, 31, "iprobe status.tag")
        try expect(try iprobed.count(of: UInt8.self), 3, "iprobe status.count(of: UInt8)")
        try expect(try iprobed.count(of: Int32.self), nil, "status.count(of: Int32) of 3 bytes")
        // 3 bytes are no whole number of Int32: a typed error, and the message stays to be received.
        try expectError("MPI_Get_count", "receive(arrayOf: Int32) of 3 bytes") {
            try comm.receive(arrayOf: Int32.self, from: left, tag: 31)
        }
        try expect(try comm.receive(arrayOf: UInt8.self, from: left, tag: 31).values, [UInt8(left), 1, 2],
                   "receive(arrayOf: UInt8) after iprobe")
        try expect(try comm.receive(arrayOf: Double.self, from: left, tag: 30).values,
                   (0..<(left + 2)).map { Double(left) + Double($0) * 0.25 }, "receive(arrayOf: Double) after probe")
        try Request.waitAll([doubles, bytes])
        try expect(try comm.iprobe(from: Communicator.anySource, tag: Communicator.anyTag) == nil,
                   "iprobe finds nothing once every message was received")
    }

    /// A message longer than the receive buffer is a typed error, for every kind of receive.
    mutating func truncation() throws {
        let left = self.left, right = self.right, comm = self.comm, size = self.size
        var small = [Int](repeating: 0, count: 1)
        var received: Result<Status, any Error>?
        try exchange(send: { try comm.send([1, 2, 3], to: right, tag: 40) },
                     receive: { received = Result { try comm.receive(into: &small, from: left, tag: 40) } })
        try expectError("MPI_Recv", "receive(into:) a 1-value buffer of a 3-value message") { try received!.get() }
        // Open MPI truncates silently, without an error, when a process sends to itself into a
        // receive it posted first (MPI_Sendrecv or MPI_Irecv to self): only check between two ranks.
        guard size > 1 else { return }
        try expectError("MPI_Sendrecv", "sendReceive into a 1-value buffer of a 3-value message") {
            try comm.sendReceive([1, 2, 3], to: right, sendTag: 41, into: &small, from: left, receiveTag: 41)
        }
        let short = try comm.ireceive(count: 1, of: Int.self, from: left, tag: 42)
        let long = try comm.isend([1, 2, 3], to: right, tag: 42)
        try expectError("MPI_Wait", "wait() on an ireceive of 1 value for a 3-value message") { try short.wait() }
        try expect(short.isComplete, "isComplete after wait() threw")
        try long.wait()
    }
}
