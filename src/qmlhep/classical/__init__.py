"""Classical baselines: DNN and BDT classifiers, convolutional autoencoders."""
