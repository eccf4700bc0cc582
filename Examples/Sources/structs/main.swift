import MPI

/// Any Codable value travels between ranks: it is encoded to bytes, sent, and decoded on arrival.
struct Reading: Codable, Equatable {
    var rank: Int
    var host: String
    var samples: [Double]
    var note: String?
}

struct Settings: Codable {
    var title: String
    var samplesPerRank: Int
}

Environment.run { _ in
    let world = Communicator.world
    let rank = world.rank, size = world.size

    // The root's settings, on every rank (the others pass nil).
    let settings = try world.broadcast(encoding: rank == 0 ? Settings(title: "readings", samplesPerRank: 3) : nil,
                                       root: 0)
    let mine = Reading(rank: rank, host: try Environment.processorName(),
                       samples: (0..<settings.samplesPerRank).map { Double(rank) + Double($0) / 4 },
                       note: rank == 0 ? nil : "from rank \(rank)")

    // Around a ring: send to the right, receive from the left (of any size: the receive probes first).
    // Even ranks send first and odd ranks receive first, so no rank waits on a send nobody receives.
    let right = (rank + 1) % size, left = (rank + size - 1) % size
    var received: (value: Reading, status: Status)?
    for step in rank % 2 == 0 ? [0, 1] : [1, 0] {
        if step == 0 { try world.send(encoding: mine, to: right, tag: 2) }
        if step == 1 { received = try world.receive(decoding: Reading.self, from: left, tag: 2) }
    }
    guard let received, received.value.rank == left, received.status.source == left else {
        Environment.fail("the ring delivered the wrong reading")
    }

    // Every rank's reading at rank 0, in rank order.
    if let all = try world.gather(encoding: mine, root: 0) {
        print("\(settings.title): \(all.count) from \(Set(all.map(\.host)).count) host(s)")
        for reading in all {
            print("  rank \(reading.rank): samples \(reading.samples) note \(reading.note ?? "none")")
        }
    }
    // A wrong type is an error, not a crash.
    if size > 1 {
        if rank == 0 { try world.send(encoding: mine, to: 1, tag: 3) }
        if rank == 1 {
            do {
                _ = try world.receive(decoding: Settings.self, from: 0, tag: 3)
            } catch {
                print("rank 1 refused a Reading as Settings: \(error)")
            }
        }
    }
    try world.barrier()
    return 0
}
