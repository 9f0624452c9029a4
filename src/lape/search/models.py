"""Search: the vocabulary (ontology concepts, synonyms, needs) and, later, the index."""
