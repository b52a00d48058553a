"""Pixelisation and preprocessing on hand-made inputs with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.data.jet_images import (
    CMS_PIXEL,
    active_fraction,
    crop,
    jet_images,
    normalise,
    pixelate,
    preprocess,
    resize,
    top_k_fraction,
)


def test_pixelate_centres_on_pt_weighted_axis():
    # two particles at phi = 1.0 +- 2 pixels, the first 3x harder: centroid 1 pixel toward it
    jet = np.array(
        [
            [
                [300.0, 0.2, 1.0 - 2 * CMS_PIXEL, 211],
                [100.0, 0.2, 1.0 + 2 * CMS_PIXEL, 22],
                [0.0, 0.0, 0.0, 0],
            ]
        ]
    )  # zero padding is ignored
    img = pixelate(jet, npix=11)[0]
    assert img.sum() == pytest.approx(400.0)
    ys, xs = np.nonzero(img)
    assert set(ys) == {5}  # rapidity: same for both, in the central row
    assert img[5, 4] == pytest.approx(300.0) and img[5, 8] == pytest.approx(100.0)


def test_crop_takes_the_central_80_percent():
    img = np.arange(125 * 125, dtype=float).reshape(1, 125, 125)
    out = crop(img)
    assert out.shape == (1, 100, 100)
    assert out[0, 0, 0] == img[0, 12, 12] and out[0, -1, -1] == img[0, 111, 111]


def test_resize_averages_areas():
    img = np.zeros((1, 4, 4), dtype=np.float32)
    img[0, :2, :2] = 4.0  # top-left quadrant
    out = resize(img, 2)
    np.testing.assert_allclose(out[0], [[4.0, 0.0], [0.0, 0.0]])
    # non-integer factor: a single hit is spread over output pixels, never dropped
    hit = np.zeros((1, 5, 5), dtype=np.float32)
    hit[0, 2, 2] = 25.0
    small = resize(hit, 2)
    assert small.sum() * (5 / 2) ** 2 == pytest.approx(25.0, rel=1e-5)


def test_normalise_per_image_and_channel_and_keeps_empty_images():
    imgs = np.zeros((2, 3, 3, 2), dtype=np.float32)
    imgs[0, 0, 0, 0], imgs[0, 1, 1, 0], imgs[0, 2, 2, 1] = 2.0, 1.0, 5.0
    out = normalise(imgs)
    assert out[0, 0, 0, 0] == 1.0 and out[0, 1, 1, 0] == 0.5 and out[0, 2, 2, 1] == 1.0
    assert (out[1] == 0).all()


def test_preprocess_chain_on_a_centred_square():
    img = np.zeros((1, 125, 125), dtype=np.float32)
    img[0, 52:72, 52:72] = 1.0  # 20x20 square in the middle of a 125 image
    out = preprocess(img, 12)
    assert out.shape == (1, 12, 12) and out.max() == pytest.approx(1.0)
    np.testing.assert_allclose(out[0], out[0][::-1, ::-1], atol=1e-6)  # stays centred
    assert out[0, 0, 0] == 0.0


def test_jet_images_multi_size_matches_single_size():
    rng = np.random.default_rng(1)
    jets = np.zeros((5, 8, 4), dtype=np.float32)
    jets[..., 0] = rng.uniform(1, 100, (5, 8))
    jets[..., 1] = rng.normal(0, 0.1, (5, 8))
    jets[..., 2] = rng.normal(3, 0.1, (5, 8))
    both = jet_images(jets, size=(12, 40), chunk=2, progress=False)
    np.testing.assert_allclose(both[12], jet_images(jets, 12, progress=False))
    assert both[40].shape == (5, 40, 40) and np.allclose(both[40].max(axis=(1, 2)), 1.0)


def test_sparsity_measures():
    imgs = np.zeros((1, 2, 2))
    imgs[0] = [[3.0, 1.0], [0.0, 0.0]]
    assert active_fraction(imgs)[0] == 0.5
    np.testing.assert_allclose(top_k_fraction(imgs, [1, 2, 4])[0], [0.75, 1.0, 1.0])


@pytest.mark.parametrize(
    "shape,size", [((3, 100, 100), 12), ((3, 100, 100), 40), ((2, 125, 125, 3), 12), ((2, 7, 7), 3)]
)
def test_resize_matches_tensorflow_area_resampling(shape, size):
    """The NumPy area resize agrees with the reference, tf.image.resize(method="area")."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    rng = np.random.default_rng(0)
    imgs = (rng.random(shape) * (rng.random(shape) > 0.9)).astype(np.float32)
    ref = tf.image.resize(
        imgs if imgs.ndim == 4 else imgs[..., None], (size, size), method="area"
    ).numpy()
    ref = ref if imgs.ndim == 4 else ref[..., 0]
    np.testing.assert_allclose(resize(imgs, size), ref, rtol=1e-5, atol=1e-6)


def test_jet_observables_on_a_hand_made_jet():
    from qmlhep.data.jet_observables import multiplicity, width

    # two equal particles 0.2 apart in rapidity: centroid midway, each 0.1 from it
    jet = np.array([[[50.0, 0.1, 2.0, 22], [50.0, 0.3, 2.0, 22], [0.0, 0.0, 0.0, 0]]])
    assert multiplicity(jet)[0] == 2
    assert width(jet)[0] == pytest.approx(0.1)


def test_output_pixel_width():
    from qmlhep.data.jet_images import output_pixel

    assert output_pixel(12) == pytest.approx(100 * CMS_PIXEL / 12)
    assert output_pixel(40, crop_fraction=1.0) == pytest.approx(125 * CMS_PIXEL / 40)


def test_a_hit_on_a_span_boundary_lights_one_output_pixel_only():
    """100 → 12: output boundaries at 25, 50 and 75 fall on pixel edges; a hit just after
    one of them belongs to one output pixel, without a rounding-error ghost next to it."""
    from qmlhep.data.jet_images import area_weights

    weights = area_weights(100, 12)
    for edge in (25, 50, 75):
        assert np.count_nonzero(weights[:, edge]) == 1
    img = np.zeros((1, 100, 100), dtype=np.float32)
    img[0, 50, 50] = 1.0
    assert np.count_nonzero(resize(img, 12)) == 1
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(weights.sum(axis=0), 12 / 100, atol=1e-12)
