// The .cpuprofile reader moved to importers/cpuprofile.ts (one importer per format, see importers/index.ts);
// this path keeps existing imports working.
export * from './importers/cpuprofile';
