"""Registry of the datasets the book uses: where each file comes from and how to check it.

Every file is described once here. The same description serves a reader online (the
file is downloaded from ``urls`` into the cache) and a machine offline (the file is
found in ``QMLHEP_DATA_DIR``); see :func:`qmlhep.data.files.fetch`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ZENODO_QG = "https://zenodo.org/records/3164691/files/{name}?download=1"
DROPBOX_QG = "https://www.dropbox.com/s/{token}/{name}?dl=1"  # EnergyFlow's mirror
UCI_SUSY = "https://archive.ics.uci.edu/ml/machine-learning-databases/00279/SUSY.csv.gz"
CERNBOX = "https://cernbox.cern.ch/remote.php/dav/public-files/{token}/{name}"


@dataclass(frozen=True)
class FileSpec:
    """One file of a dataset.

    ``sha256`` is ``None`` only where the publisher gives no checksum; such files are
    checked by their loader's schema instead. ``urls`` is empty for files that have no
    public download (the shared offline samples): they are found in the data folder.
    """

    name: str
    sha256: str | None
    urls: tuple[str, ...] = ()
    rows: int | None = None
    size_mb: float | None = None
    """Download size (MB), said before a download starts."""
    head_of: str | None = None
    """This file is the first ``rows`` lines of the gzipped text file at ``urls`` (named
    ``head_of``): only that part is downloaded (the stream is cut once they have arrived)."""


@dataclass(frozen=True)
class Variant:
    """A set of files that together form one version of a dataset (e.g. full vs sample)."""

    files: tuple[FileSpec, ...]
    description: str
    rows_per_file: int | None = None


@dataclass(frozen=True)
class Dataset:
    """A dataset: its variants (the first is the official one), licence and citation."""

    key: str
    title: str
    licence: str
    citation: str  # bibtex key in book/references.bib
    homepage: str
    variants: dict[str, Variant] = field(default_factory=dict)

    @property
    def official(self) -> str:
        return next(iter(self.variants))


def _qg_files() -> tuple[FileSpec, ...]:
    """The 20 official Pythia 8 quark (uds) / gluon files of Zenodo record 3164691."""
    # sha256 as published with EnergyFlow (energyflow/datasets/qg_jets.py, pythia, nobc)
    hashes = (
        "3f27a02eab06e8b83ccc9d25638021e6e24c9361341730961f9d560dee12c257",
        "648e49cd59b5353e0064e7b1a3388d9c2f4a454d3ca67afaa8d0344c836ecb35",
        "09f7b16fa7edb312c0f652bb8504de45f082c4193df65204d693155017272fe9",
        "7dc9a50bb38e9f6fc1f11db18f9bd04f72823c944851746b848dee0bba808537",
        "3e6217aad8e0502f5ce3b6371c61396dfc48a6cf4f26ee377cc7b991b1d2b543",
        "b5b7d742b2599bcbe1d7a639895bca64c28da513dc3620b0e5bbb5801f8c88fd",
        "7d31bc48c15983401e0dbe8fd5ee938c3809d9ee3c909f4adab6daf8b73c14f1",
        "cec0d7b2afa9d955543c597f9b7f3b3767812a68b2401ec870caf3a2ceb98401",
        "e984620f57abe06fc5d0b063f9f84ba54bd3e8c295d2b2419a7b1c6175079ed4",
        "6e3b69196995d6eb3b8e7af874e2b9f93d904624f7a7a73b8ff39f151e3bd189",
        "fa3d386f230b806058ff17e5bd77326ff4bf01d72aa5eb3325c1df2a8825927c",
        "acd49ab7bea8f72ecf699a9a898bccacc8730474259d68406656a5a43d407fb0",
        "2edd55b8bc30c686a0637855e1ba068586eb97041e8114d5540d96db2a7a2e17",
        "7276a8a0e573f9795a47f9d5addc10d2af903c2a0ffa5c848a720ccae93daa90",
        "2068ecfa912e94cd3ce7273b7c77af0bbd5ec57940997e7483b56f03434a6869",
        "41a732ce6321dd593214225b03fb87329607ccae768c705e3896ffecc28bfcca",
        "9d68caeb18f3ccf127b9032f52e63ee011c4381293a3a503f894e5c0741ae215",
        "086053ca611bb04d97fa0b6509b4ffb6955421b067c7b277498f0e5188879331",
        "cdc595f5fedef7db9411a9f93f2786f110073b4d17a523700f625846588b1e44",
        "d07781139320ae134ce4824bc0cefa43fd5003cd97cdf3aed90d4fb12fad8a1d",
    )
    mirrors = (
        "fclsl7pukcpobsb",
        "ztzd1a6lkmgovuy",
        "jzgc9e786tbk1m5",
        "tiwz2ck3wnzvlcr",
        "3miwek1n0brbd2i",
        "tsq80wc6ngen9kn",
        "5oba2h15ufa57ie",
        "npl6b2rts82r1ya",
        "7pldxfqdb4n0kaw",
        "isw4clv7n370nfb",
        "prw7myb889v2y12",
        "10r4ydro3e6nsmc",
        "42p10sv9jedmtn0",
        "crqdeg4arjti7cy",
        "1e7ss2quxhkbhwy",
        "psje9feje43buc7",
        "8qw5bcswgrr9fl1",
        "gcdp98bgupfk05x",
        "jvgt17z1ufxz1ly",
        "gbbfvy2e0slmm8v",
    )
    names = ["QG_jets.npz"] + [f"QG_jets_{i}.npz" for i in range(1, 20)]
    return tuple(
        FileSpec(n, h, (ZENODO_QG.format(name=n), DROPBOX_QG.format(token=t, name=n)), rows=100_000)
        for n, h, t in zip(names, hashes, mirrors, strict=True)
    )


DATASETS: dict[str, Dataset] = {}


def register(ds: Dataset) -> Dataset:
    """Add a dataset to :data:`DATASETS` (keys are unique)."""
    if ds.key in DATASETS:
        raise ValueError(f"dataset {ds.key!r} registered twice")
    DATASETS[ds.key] = ds
    return ds


register(
    Dataset(
        key="susy",
        title="UCI SUSY: chargino-pair signal vs WW background, 18 kinematic features",
        licence="CC BY 4.0",
        citation="baldi2014searching",
        homepage="https://archive.ics.uci.edu/dataset/279/susy",
        variants={
            "full": Variant(
                (FileSpec("SUSY.csv.gz", None, (UCI_SUSY,), rows=5_000_000, size_mb=880),),
                "the official 5,000,000 events (UCI publishes no checksum: schema-checked on load)",
            ),
            "head-500k": Variant(
                (
                    FileSpec(
                        "SUSY_head500k.csv.gz",
                        None,
                        (UCI_SUSY,),
                        rows=500_000,
                        size_mb=88,
                        head_of="SUSY.csv.gz",
                    ),
                ),
                "the first 500,000 events of the official file (about a tenth of its download; "
                "its rows are in random order), for chapters that need fewer events",
            ),
            "sample-10k": Variant(
                (
                    FileSpec(
                        "SUSY_sample_10k.csv.gz",
                        "77afd1c3844190ad730fb42b131ece9161c3f16c5c6177f73ce19e5881d21e95",
                        rows=10_000,
                    ),
                ),
                "10,000-event balanced sample (train half, then test half; rows grouped by label)",
            ),
        },
    )
)

register(
    Dataset(
        key="qg_jets",
        title="Pythia 8 quark and gluon jets, Z(->nu nu)+jet, 14 TeV, pT in [500, 550] GeV",
        licence="CC BY 4.0",
        citation="komiske2019energy",
        homepage="https://zenodo.org/records/3164691",
        variants={
            "zenodo": Variant(
                _qg_files(), "2,000,000 jets with all particles, 20 files", rows_per_file=100_000
            ),
            # offline builds take the first variant found on disk: the all-particle sample
            # first, so the book is verified on jets like the official files
            "sample-all-20k": Variant(
                (
                    FileSpec(
                        "QG_jets_pythia_all_20k.npz",
                        "e6610de9508b6462e6507070ce9860a76c3a9bc537783dd8313ae8fcbc80b7a4",
                        rows=20_000,
                    ),
                ),
                "20,000 jets with every particle (Pythia 8.317 + FastJet in the official "
                "settings; generated offline, not an official file)",
            ),
            "sample-top10-10k": Variant(
                (
                    FileSpec(
                        "QG_jets_pythia_top10_10k.npz",
                        "1d3843ae17ddbed0d34f784d73f958ceea64349dfdc9c324f8a665a5f6ecb5df",
                        rows=10_000,
                    ),
                ),
                "10,000 jets, 10 hardest particles per jet",
            ),
        },
    )
)

register(
    Dataset(
        key="electron_photon",
        title="CMS single electron / photon ECAL images, 32x32 (hit energy, hit time)",
        licence="CC0 (CMS Open Data)",
        citation="andrews2020endtoend",
        homepage="https://ml4sci.org",
        variants={
            "cernbox": Variant(
                (
                    FileSpec(
                        "SinglePhotonPt50_IMGCROPS_n249k_RHv1.hdf5",
                        None,
                        (
                            CERNBOX.format(
                                token="AtBT8y4MiQYFcgc",
                                name="SinglePhotonPt50_IMGCROPS_n249k_RHv1.hdf5",
                            ),
                        ),
                        rows=249_000,
                    ),
                    FileSpec(
                        "SingleElectronPt50_IMGCROPS_n249k_RHv1.hdf5",
                        None,
                        (
                            CERNBOX.format(
                                token="FbXw3V4XNyYB3oA",
                                name="SingleElectronPt50_IMGCROPS_n249k_RHv1.hdf5",
                            ),
                        ),
                        rows=249_000,
                    ),
                ),
                "249k photons + 249k electrons, (N, 32, 32, 2); no published checksum",
            ),
            "sample-200": Variant(
                (
                    FileSpec(
                        "electron-photon.npz",
                        "210f0744a5f8ab629358c2c8cc577aef1d1b9121ea634f2f5a7f8d86a2cfe8c8",
                        rows=200,
                    ),
                ),
                "200 images (energy channel), ML4SCI QML task file",
            ),
        },
    )
)

register(
    Dataset(
        key="cms_qg",
        title="CMS Open Data quark/gluon jet images, 125x125x3 (ECAL, HCAL, tracks)",
        licence="CC0 (CMS Open Data)",
        citation="andrews2020endtoend",
        homepage="https://ml4sci.org",
        variants={
            "ml4sci": Variant(
                (FileSpec("quark-gluon_data-set_n139306.hdf5", None, rows=139_306),),
                "139,306 jets; distributed by ML4SCI on request, no stable public URL: "
                "place the file in QMLHEP_DATA_DIR",
            ),
        },
    )
)

register(
    Dataset(
        key="bsm_qae",
        title="Dileptonic b-bbar events: SM background and a 2.5 TeV resonance",
        licence="MIT (research repository)",
        citation="ngairangbam2022anomaly",
        homepage="https://doi.org/10.1103/PhysRevD.105.095004",
        variants={
            "sample": Variant(
                (
                    FileSpec(
                        "sample_bg_morestat.csv.gz",
                        "335a00d01db7d19e4df9740c77c277ff4f7ec4ff2440cafa1f7cdbaad120a5da",
                        rows=51_852,
                    ),
                    FileSpec(
                        "sample_mH2500_morestat.csv.gz",
                        "547aa041e5232cd959a2f607a31cfaa7238a69fd1aa5c49463fcde6fe9927b83",
                        rows=9_500,
                    ),
                ),
                "51,852 background and 9,500 signal events, 9 features",
            ),
        },
    )
)
