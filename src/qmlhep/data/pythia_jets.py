"""Quark and gluon jets from Pythia 8 and FastJet, in the EnergyFlow layout.

The process of the EnergyFlow quark/gluon sample (Komiske, Metodiev, Thaler 2019):
pp at √s = 14 TeV, a Z boson (pure Z, no γ*) decaying to neutrinos, recoiling against a
quark (``qg → Zq``, light quarks u, d, s only) or a gluon (``qq̄ → Zg``); parton shower,
multiple interactions and hadronisation on. The visible final-state particles (neutrinos
removed) are clustered with anti-kT, R = 0.4; the leading jet is kept if its pT is in
[500, 550] GeV and |y| < 1.7. Each jet: its particles as ``(pT [GeV], y, phi, PDG id)``,
sorted by pT, zero-padded; ``phi`` is the jet's azimuth in [0, 2π) plus the particle's
offset from it in [−π, π), as in that sample.

Events come from ``Pythia.nextBatch`` as awkward arrays and are clustered by FastJet's
multi-event interface: no Python loop over particles or events. Work is split into
fixed chunks, each with its own Pythia seed, so the output depends on the seed and the
settings only, not on the number of worker processes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

CHUNK_JETS = 100
"""Jets per chunk (one Pythia run, one seed)."""
INVISIBLE = (12, 14, 16)
"""|PDG id| of the particles removed before clustering (neutrinos)."""
LIGHT_QUARKS = (1, 2, 3)


@dataclass(frozen=True)
class JetSettings:
    """Everything that defines a generated sample (its cache key)."""

    kind: str  # "quark" or "gluon"
    sqrt_s: float = 14_000.0
    pt_min: float = 500.0
    pt_max: float = 550.0
    abs_y_max: float = 1.7
    radius: float = 0.4
    pthat_min: float = 440.0
    pthat_max: float = 700.0
    batch_events: int = 50
    pythia: str = "8.317"

    def pythia_strings(self, seed: int) -> list[str]:
        """The Pythia settings of this sample and one chunk's seed."""
        process = (
            "WeakBosonAndParton:qg2gmZq = on"
            if self.kind == "quark"
            else "WeakBosonAndParton:qqbar2gmZg = on"
        )
        return [
            f"Beams:eCM = {self.sqrt_s}",
            process,
            "WeakZ0:gmZmode = 2",
            "23:onMode = off",
            "23:onIfAny = 12 14 16",
            f"PhaseSpace:pTHatMin = {self.pthat_min}",
            f"PhaseSpace:pTHatMax = {self.pthat_max}",
            "Random:setSeed = on",
            f"Random:seed = {seed}",
            "Print:quiet = on",
        ]


def _leading_jets(events, settings: JetSettings):
    """``(pT, y, phi, id)`` of the leading jet's particles per event, or None if it fails."""
    # imported here, not at the top: optional dependencies (extras): awkward, fastjet, vector
    import awkward as ak
    import fastjet
    import vector

    vector.register_awkward()
    prt = events.prt
    abs_id = np.abs(prt.id)
    invisible = (abs_id == INVISIBLE[0]) | (abs_id == INVISIBLE[1]) | (abs_id == INVISIBLE[2])
    visible = prt[(prt.status > 0) & ~invisible]
    if settings.kind == "quark":  # the outgoing hard parton (status -23) must be u, d or s
        hard = abs_id[prt.status == -23]
        visible = visible[ak.any((hard >= min(LIGHT_QUARKS)) & (hard <= max(LIGHT_QUARKS)), axis=1)]
    momenta = ak.zip(
        {"px": visible.p.px, "py": visible.p.py, "pz": visible.p.pz, "E": visible.p.e},
        with_name="Momentum4D",
    )
    definition = fastjet.JetDefinition(fastjet.antikt_algorithm, settings.radius)
    sequence = fastjet.ClusterSequence(momenta, definition)
    jets = sequence.inclusive_jets(min_pt=10.0)
    index = sequence.constituent_index(min_pt=10.0)
    order = ak.argsort(jets.pt, axis=1, ascending=False)
    jets, index = jets[order], index[order]
    has = ak.num(jets) > 0
    lead, lead_index, ids = jets[has][:, 0], index[has][:, 0], visible.id[has]
    members = momenta[has][lead_index]
    keep = (
        (lead.pt >= settings.pt_min)
        & (lead.pt <= settings.pt_max)
        & (np.abs(lead.rapidity) < settings.abs_y_max)
    )
    lead, members, pid = lead[keep], members[keep], ids[lead_index][keep]
    if len(lead) == 0:
        return None
    jet_phi = np.mod(ak.to_numpy(lead.phi), 2 * np.pi)
    dphi = np.mod(members.phi - jet_phi + np.pi, 2 * np.pi) - np.pi
    particles = ak.zip({"pt": members.pt, "y": members.rapidity, "phi": jet_phi + dphi, "pid": pid})
    return particles[ak.argsort(particles.pt, axis=1, ascending=False)]


def _pad(particles, width: int) -> np.ndarray:
    # imported here, not at the top: optional dependencies (extras): awkward
    import awkward as ak

    columns = [
        ak.to_numpy(ak.fill_none(ak.pad_none(particles[f], width, clip=True), 0.0))
        for f in ("pt", "y", "phi", "pid")
    ]
    return np.stack(columns, axis=-1).astype(np.float64)


def generate_chunk(settings: JetSettings, seed: int, n_jets: int = CHUNK_JETS) -> np.ndarray:
    """``n_jets`` jets ``(n_jets, M, 4)`` from one Pythia run with ``seed``."""
    # imported here, not at the top: optional dependencies (extras): awkward, pythia8mc
    import awkward as ak
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    for line in settings.pythia_strings(seed):
        pythia.readString(line)
    if not pythia.init():
        raise RuntimeError(f"Pythia failed to initialise with {settings}")
    found = []
    while sum(len(f) for f in found) < n_jets:
        jets = _leading_jets(pythia.nextBatch(settings.batch_events), settings)
        if jets is not None:
            found.append(jets)
    particles = ak.concatenate(found)[:n_jets]
    return _pad(particles, int(ak.max(ak.num(particles))))


def settings_dict(settings: JetSettings) -> dict:
    """The settings as a plain dict (stored beside the arrays)."""
    return asdict(settings)
