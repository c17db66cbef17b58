// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class RitualSeat : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public RitualSeat() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string playerId = default(string);

		[global::Colyseus.Schema.Type(1, "uint8")]
		public byte seat = default(byte);

		[global::Colyseus.Schema.Type(2, "int32")]
		public int lastChannelTick = -1;

		[global::Colyseus.Schema.Type(3, "string")]
		public string lastRef = default(string);
	}
}
