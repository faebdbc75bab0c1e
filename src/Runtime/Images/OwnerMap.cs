namespace Container.Runtime.Images;

/// <summary>The owner a file gets where it is written, from the owner it had: a user namespace's shift, one way or the other.</summary>
public delegate (uint Uid, uint Gid) OwnerMap(uint uid, uint gid);
