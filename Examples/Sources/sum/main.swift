import SPMD   // brings MPI and the harness

struct Sum: SPMDProgram {
    @OptionGroup var common: CommonOptions
    @Option var count: Count = 1_000_000

    func compute(_ context: Context) throws -> Outcome? {
        let mine = context.block(of: 0..<count.value).reduce(0, +)       // this rank's block
        let total = try context.communicator.reduce(mine, operation: .sum, root: 0)
        return total.map { Outcome(result: .int($0)) }                   // nil on other ranks
    }
}
Sum.main()
