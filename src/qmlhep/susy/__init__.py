"""Classifiers of the SUSY chapters (Terashi et al. 2021): the BDT and DNN baselines,
quantum circuit learning (QCL) and the variational quantum classifier (VQC) with the
IBM device models and the job store of hardware runs."""
