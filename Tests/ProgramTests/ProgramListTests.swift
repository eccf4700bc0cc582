import Foundation
import Testing

/// The one list of programs: Package.swift's `let programs = [...]` line. The Makefile and the
/// scripts read it through scripts/programs.sh, the bench scripts through bench/benchlib.py, these
/// tests here; so a program added to Sources/ without the list, or listed without its folder or
/// its job script, fails here, and so does a reader that parses the line differently.
enum ProgramList {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The names on the list, in order; empty when the line is missing or reads differently.
    static let names: [String] = {
        guard let manifest = try? String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        else { return [] }
        let lines = manifest.split(separator: "\n").filter { $0.hasPrefix("let programs = [") && $0.hasSuffix("]") }
        guard lines.count == 1, let line = lines.first else { return [] }
        return line.dropFirst("let programs = [".count).dropLast().split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }()

    /// A command's standard output, run in the project's folder.
    static func output(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite struct ProgramListTests {
    @Test func theListReadsAsKebabCaseNames() {
        #expect(ProgramList.names.count >= 8, "\(ProgramList.names)")
        #expect(Set(ProgramList.names).count == ProgramList.names.count, "a name twice: \(ProgramList.names)")
        for name in ProgramList.names {
            #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } && !name.isEmpty, "\(name)")
        }
    }

    /// Every folder of Sources/ with a main.swift is a program on the list (or layer-check, which
    /// only the tests launch), and every listed program has its folder, its job script and its
    /// binary beside these tests.
    @Test func sourcesJobsAndBinariesMatchTheList() throws {
        let sources = ProgramList.root.appendingPathComponent("Sources")
        let folders = try FileManager.default.contentsOfDirectory(atPath: sources.path)
        let executables = Set(folders.filter {
            FileManager.default.fileExists(atPath: sources.appendingPathComponent("\($0)/main.swift").path)
        })
        #expect(executables == Set(ProgramList.names + ["layer-check"]),
                "in Sources/ but not listed: \(executables.subtracting(ProgramList.names + ["layer-check"]).sorted()); listed but no Sources/<name>/main.swift: \(Set(ProgramList.names).subtracting(executables).sorted())")
        for name in ProgramList.names {
            let job = ProgramList.root.appendingPathComponent("jobs/\(name).sh").path
            #expect(FileManager.default.fileExists(atPath: job), "no \(job)")
            let binary = Launch.binaries.appendingPathComponent(name).path
            #expect(FileManager.default.isExecutableFile(atPath: binary), "no \(binary)")
        }
    }

    /// The shell's reader (the Makefile's PROGRAMS) and the bench scripts' reader give the same list.
    @Test func everyReaderGivesTheSameList() throws {
        let shell = try ProgramList.output(["bash", "scripts/programs.sh"])
        #expect(shell.status == 0)
        #expect(shell.stdout.split(separator: "\n").map(String.init) == ProgramList.names, "\(shell.stdout)")
        let words = try ProgramList.output(["bash", "scripts/programs.sh", "--words"])
        #expect(words.stdout == ProgramList.names.joined(separator: " ") + "\n", "\(words.stdout)")
        let python = try ProgramList.output(["python3", "-c",
            "import sys; sys.path.insert(0, 'bench'); import benchlib; print(' '.join(benchlib.programs()))"])
        #expect(python.status == 0)
        #expect(python.stdout == ProgramList.names.joined(separator: " ") + "\n", "\(python.stdout)")
    }
}
