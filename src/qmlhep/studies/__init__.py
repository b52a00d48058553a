"""Chapter-level studies, one call each: they combine data, models and fits into the
numbers and curves a chapter shows (AUC versus training size, seeds, ablations)."""
