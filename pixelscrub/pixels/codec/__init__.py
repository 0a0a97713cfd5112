"""Codecs and frames: decoding pixel data frame by frame, hidden bits and overlay planes, lossless re-encoding."""
