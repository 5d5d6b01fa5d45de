// Moved to core/profile/sourceContext.ts (the launcher attaches it to every run report; importing it from
// here made core/profile and core/compare import each other). This path keeps existing imports working.
export * from '../profile/sourceContext';
