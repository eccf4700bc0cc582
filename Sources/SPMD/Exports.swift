// A program's main.swift imports SPMD: it brings the option parser, the MPI layer and the harness's
// pure-Swift core (partitions, pieces, `ExactSum`, `ExactInteger`). A program that runs a workload
// kernel imports `Kernels` too.
@_exported import ArgumentParser
@_exported import MPI
@_exported import SPMDCore
