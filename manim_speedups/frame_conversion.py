"""The encoder converts only the rows of a frame that changed, and a held frame once.

Manim's segment encoder converts every RGBA frame to the video's YUV format as a whole, and a frame held
still (``wait``) once per repeat.  A held frame is now converted once and encoded for each repeat, and
of a new frame only the rows that changed since the previous one are converted (with a margin that
makes the rows kept equal to a whole-frame conversion); the encoder copies its input, so the bytes of
the video are the same.  Without B-frames (``one_stream``'s encoder settings) a held frame is encoded
once and shown until the next frame's timestamp.
"""
from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
from av.video.reformatter import VideoReformatter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from manim_speedups._patching import patch

_segment_write_frame = VideoSegmentEncoder.write_frame
# rows: a row of swscale's 4:2:0 conversion depends on the rows next to it (chroma is filtered across
# rows) and on its place in an 8-row dither pattern; a block of 8 rows either side covers both (tested)
_BAND = 8


class _FrameConverter:
    """A segment's RGBA frames turned into the frames its encoder takes, as the encoder turns them
    (libswscale with the encoder's arguments).  For YUV 4:2:0 with one thread (the build's setting)
    only the band of rows that changed since the previous frame is converted: the band is widened to
    whole blocks of ``_BAND`` rows plus one block on either side, which swscale sees but whose rows are
    not kept, so every row kept equals a whole-frame conversion (an animation of the lecture changes
    83 of 480 rows on average).  The converted rows are written into the one frame handed to the
    encoder each time: libx264 copies a frame when it takes it, so the frame is free again once
    ``encode`` returns."""

    def __init__(self, stream, options: dict[str, str]):
        self.context = stream.codec_context
        self.width, self.height, self.format = stream.width, stream.height, self.context.format
        # the codec's thread count is known once it is open (at the first frame): take it from the options
        self.by_rows = (stream.pix_fmt == "yuv420p" and options.get("threads") == "1"
                        and self.width % 2 == 0 and self.height % 2 == 0)
        self.reformatter = VideoReformatter()
        self.previous = None
        self.frame = None
        # rows compared as 8-byte words (two pixels: the width is even), into one buffer of flags
        self.unequal = np.empty((self.height, self.width // 2), bool)

    def _convert(self, pixels):
        # a band of Manim's array is wrapped, not copied (swscale gives the same bytes either way: tested)
        frame = (av.VideoFrame.from_numpy_buffer(pixels, format="rgba") if pixels.flags.c_contiguous
                 else av.VideoFrame.from_ndarray(pixels, format="rgba"))
        return self.reformatter.reformat(frame, self.width, len(pixels), self.format,
                                         threads=1 if self.by_rows else self.context.thread_count)

    @staticmethod
    def _words(pixels) -> np.ndarray:
        return pixels.reshape(len(pixels), -1).view(np.uint64)

    def __call__(self, pixels):
        if not self.by_rows:
            return self._convert(pixels)
        height = self.height
        if self.frame is None:
            self.frame = self._convert(pixels)
        else:
            np.not_equal(self._words(pixels), self._words(self.previous), out=self.unequal)
            rows = np.flatnonzero(self.unequal.any(axis=1))
            if rows.size:
                top = max(0, int(rows[0]) // _BAND * _BAND - _BAND)
                bottom = min(height, -(-(int(rows[-1]) + 1) // _BAND) * _BAND + _BAND)
                start, stop = max(0, top - _BAND), min(height, bottom + _BAND)
                band = self._convert(pixels[start:stop])
                for index, (kept, plane) in enumerate(zip(self.frame.planes, band.planes)):
                    shift = 1 if index else 0  # the chroma planes have half the rows
                    _plane(kept)[top >> shift:bottom >> shift] = \
                        _plane(plane)[(top - start) >> shift:(bottom - start) >> shift]
        self.previous = pixels  # Manim hands the array over: it does not change it afterwards
        return self.frame


def _plane(plane) -> np.ndarray:
    """A frame plane's pixels as an array (its rows without their padding)."""
    return np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, :plane.width]


def _write_frame_converting_changes(self, pixels, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame`` that converts only the rows that changed since the last
    frame (see ``_FrameConverter``), and a held frame (a ``wait``) once, not once per repeat; the
    encoder copies its input, so the video's bytes are Manim's.

    With B-frames off (``bf=0``, the setting of ``one_stream``) a held frame is also encoded
    only once: it keeps its place in time and stays on screen until the next frame's timestamp, as in
    any variable-frame-rate video; its last repeat is encoded as well if it ends the segment (see
    ``_finish_after_held_frame``), so the segment lasts as long.  With B-frames the encoder's decoding
    timestamps, which set the container's duration, would run behind the last frame shown."""
    if isinstance(repeat, bool) or not isinstance(repeat, int):
        return _segment_write_frame(self, pixels, repeat=repeat)  # Manim's own error
    self._validate_frame(pixels, repeat)
    spec = self.spec
    time_base = Fraction(spec.frame_rate.denominator, spec.frame_rate.numerator)
    try:
        converter = self.__dict__.get("_converter")
        if converter is None:
            converter = self._converter = _FrameConverter(self._stream, dict(spec.options))
            self._hold_once = dict(spec.options).get("bf") == "0"
        frame = converter(pixels)
        self.__dict__.pop("_held", None)  # this frame ends the one held before it
        encoded = 1 if self._hold_once else repeat
        frame.time_base = time_base
        for _ in range(encoded):
            _encode(self, frame, self._next_pts)
            self._next_pts += 1
        if encoded < repeat:
            self._next_pts += repeat - encoded
            self._held = (frame, self._next_pts - 1)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def _encode(self, frame, pts: int) -> None:
    frame.pts = pts
    for packet in self._stream.encode(frame):
        self._container.mux(packet)


_segment_finish = VideoSegmentEncoder.finish


def _finish_after_held_frame(self) -> None:
    """``VideoSegmentEncoder.finish`` that first encodes the last repeat of a frame held (encoded
    once) at the end of the segment, so that the segment lasts as long as Manim's."""
    held = self.__dict__.pop("_held", None)
    if held is not None and not self._closed:
        try:
            _encode(self, *held)
        except BaseException as error:
            raise self._operation_error("encode", error) from error
    _segment_finish(self)


def apply() -> None:
    patch(VideoSegmentEncoder, "write_frame", _write_frame_converting_changes)
    patch(VideoSegmentEncoder, "finish", _finish_after_held_frame)
