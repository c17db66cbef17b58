// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class RaidStatus : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public RaidStatus() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string kind = default(string);

		[global::Colyseus.Schema.Type(1, "uint32")]
		public uint expiresAtTick = default(uint);
	}
}
