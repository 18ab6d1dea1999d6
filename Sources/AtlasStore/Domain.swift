// The shared domain types (Method, Schedule, RunKey, TrainingSet, ReleaseLayout) are part of every layer's
// vocabulary: whoever imports the store sees them too.
@_exported import AtlasDomain
