// Stryker.NET records which tests run each mutant ("perTest" coverage) and then runs only those
// against it. With test classes running in parallel, code one test starts (a request served by
// another class's host, a background dispatcher) is recorded against whichever test happens to be
// current, and a mutant is then judged by tests that never run it: "survived" although a test kills
// it. scripts/mutation.sh builds the tests with CIERTO_SERIAL_TESTS=1 to run them one at a time.
#if CIERTO_SERIAL_TESTS
[assembly: CollectionBehavior(DisableTestParallelization = true)]
#endif
