// Fixtures share nothing mutable (each has its own temp files, decoders and seeded generators), so they run side by
// side on the machine's cores.
[assembly: Parallelizable(ParallelScope.Fixtures)]
