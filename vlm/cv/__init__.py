"""The offline ``cv`` perception backend: motion regions, ByteTrack tracks, COCO detector labels."""
