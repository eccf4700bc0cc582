import MPI

// Every rank says where it runs; rank 0 prints them in rank order (gathered, so lines never interleave).
Environment.run { _ in
    let world = Communicator.world
    let line = "hello from rank \(world.rank) of \(world.size) on \(try Environment.processorName())"
    if let lines = try world.gather(line, root: 0) {
        for line in lines { print(line) }
    }
    return 0
}
