// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class PartyMember : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public PartyMember() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string playerId = default(string);

		[global::Colyseus.Schema.Type(1, "uint8")]
		public byte oracles = default(byte);

		[global::Colyseus.Schema.Type(2, "uint32")]
		public uint rating = default(uint);

		[global::Colyseus.Schema.Type(3, "uint32")]
		public uint order = default(uint);
	}
}
