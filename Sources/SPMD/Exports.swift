// A program's main.swift imports SPMD alone: it brings the option parser, the MPI layer and the kernels.
@_exported import ArgumentParser
@_exported import Kernels
@_exported import MPI
