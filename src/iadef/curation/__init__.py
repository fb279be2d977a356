"""Curation: the ontology, the seed files, their loading and checks, the build and its validation."""
