this is not a protobuf
