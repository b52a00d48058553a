"""Models of the jet-image chapters, in the book's order: the classical conv autoencoder
and its anomaly scores, the re-uploading classifier, the swap-test autoencoder (SQAE),
the hybrid autoencoder, and the classical and quantum vision transformers."""
